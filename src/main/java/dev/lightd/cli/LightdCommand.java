package dev.lightd.cli;

import dev.lightd.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "lightd", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = VersionCommand.class,
        description = "Game server node daemon: Docker containers over HTTP.",
        subcommands = {ServeCommand.class, TokenCommand.class, McctlCommand.class, VersionCommand.class,
                TrainCommand.class})
public final class LightdCommand implements Runnable {

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
        CommandLine cli = new CommandLine(new LightdCommand());
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
}
