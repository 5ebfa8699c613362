package dev.lightd.cli;

import dev.lightd.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "lightd", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = VersionCommand.class,
        description = "Game server node daemon: Docker containers over HTTP.")
public final class LightdCommand implements Runnable {

    /** The sub-commands, in the order the help lists them. */
    private static final List<Class<?>> COMMANDS = List.of(ServeCommand.class, TokenCommand.class, McctlCommand.class,
            VersionCommand.class, TrainCommand.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        if (args.length == 0 || !args[0].equals("serve")) {
            System.setProperty("lightd.log.target", "System.err");
        }
        CommandLine cli = commandLine(args);
        // A bad config is the operator's to fix: one line naming the key, no stack trace.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("lightd: configuration error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    /**
     * Picocli builds the model of every command it is given by reflection, and its classes cannot be
     * in the start-up cache (they are Java 5 class files): with all 20 commands that was a fifth of
     * the daemon's start. A run that names a command gets only that one; anything else (help, a typo)
     * gets them all, so the usage and picocli's suggestions stay complete.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cli = new CommandLine(new LightdCommand());
        Class<?> named = args.length == 0 ? null : COMMANDS.stream()
                .filter(c -> c.getAnnotation(Command.class).name().equals(args[0]))
                .findFirst().orElse(null);
        for (Class<?> command : COMMANDS) {
            if (named == null || command == named) {
                cli.addSubcommand(command);
            }
        }
        return cli;
    }
}
