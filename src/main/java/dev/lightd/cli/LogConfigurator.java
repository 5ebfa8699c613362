package dev.lightd.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

import java.util.List;

/**
 * The logging set-up, in code rather than logback.xml: reading XML loads a parser and logback's
 * configuration framework (some 300 classes), a measurable part of the daemon's start-up and memory
 * (docs/performance.md). One line per event: time, level, logger, then key=value pairs. The daemon
 * logs to stdout; CLI commands log to stderr (system property lightd.log.target=System.err) so their
 * stdout is only their answer. LIGHTD_LOG_LEVEL sets the root level (INFO unless given).
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    private static final List<String> QUIET = List.of("org.eclipse.jetty", "io.javalin", "org.flywaydb",
            "com.github.dockerjava", "org.apache.hc");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} level=%-5level logger=%logger{0} %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setTarget(System.getProperty("lightd.log.target", "System.out"));
        console.setEncoder(encoder);
        console.start();
        for (String name : QUIET) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        String level = System.getenv("LIGHTD_LOG_LEVEL");
        root.setLevel(Level.toLevel(level == null ? "INFO" : level, Level.INFO));
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
