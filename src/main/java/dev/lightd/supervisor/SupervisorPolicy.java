package dev.lightd.supervisor;

import dev.lightd.console.ConsoleHub;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The supervisor's timings, injected so that tests run them in milliseconds.
 *
 * @param killWait       how long to wait for an exit after SIGKILL
 * @param probeEvery     how often a readiness probe (RCON) is tried while a server starts
 * @param statsInterval  stats samples are kept and published at most this often
 * @param outsideStopWindow an exit this soon after a signal the daemon did not send (an operator's
 *                       docker stop, the engine shutting down) is an outside stop, not a crash
 * @param crashes        the crash-restart backoff and loop window
 * @param consoleLimits  each console's output budget and history size, as the config says now
 */
public record SupervisorPolicy(Duration killWait, Duration probeEvery, Duration statsInterval,
                               Duration outsideStopWindow, CrashPolicy.Settings crashes,
                               Supplier<ConsoleHub.Limits> consoleLimits) {

    public SupervisorPolicy(Duration killWait, Duration probeEvery, Duration statsInterval,
                            Duration outsideStopWindow, CrashPolicy.Settings crashes) {
        this(killWait, probeEvery, statsInterval, outsideStopWindow, crashes, () -> ConsoleHub.Limits.DEFAULTS);
    }

    public static SupervisorPolicy defaults() {
        return new SupervisorPolicy(Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(30), CrashPolicy.Settings.DEFAULTS);
    }
}
