package dev.lightd.supervisor;

import java.time.Duration;

/**
 * How a server is asked to stop (in the manner of testcontainers' WaitStrategy): a command on its
 * stdin, the engine's SIGTERM, RCON "stop"... The supervisor sends SIGKILL when a strategy gives up.
 */
@FunctionalInterface
public interface StopStrategy {

    /** What a strategy can do to the server being stopped. */
    interface Target {
        String name();

        /** Writes to the process's stdin; false when no console is attached. */
        boolean writeStdin(String text);

        void signal(String signal);

        /** The engine's own stop: SIGTERM, SIGKILL after the timeout. */
        void engineStop(Duration timeout);

        /** True once the process has exited, false when it still runs after the timeout. */
        boolean awaitExit(Duration timeout);
    }

    /** Asks the server to end; true once it has exited, false when it still runs (then it is killed). */
    boolean stop(Target target);

    /** The stop command on stdin when there is one, waiting up to the timeout; else the engine's stop. */
    static StopStrategy stdinCommand(String command, Duration timeout) {
        if (command == null || command.isBlank()) {
            return engineStop(timeout);
        }
        return t -> t.writeStdin(command + "\n") ? t.awaitExit(timeout) : engineStop(timeout).stop(t);
    }

    /** SIGTERM, then SIGKILL after the timeout, done by the engine. */
    static StopStrategy engineStop(Duration timeout) {
        return t -> {
            t.engineStop(timeout);
            return t.awaitExit(Duration.ofSeconds(1));
        };
    }

    /**
     * SIGTERM, sent again every {@code every} until the deadline: a signal that reaches PID 1 before
     * its program installed a handler (a JVM still starting) is simply dropped.
     */
    static StopStrategy sigtermRepeated(Duration every, Duration timeout) {
        return t -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                t.signal("SIGTERM");
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                if (t.awaitExit(left.compareTo(every) < 0 ? left : every)) {
                    return true;
                }
            }
            return false;
        };
    }
}
