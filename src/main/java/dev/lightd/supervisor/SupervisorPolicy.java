package dev.lightd.supervisor;

import java.time.Duration;

/**
 * The supervisor's timings, injected so that tests run them in milliseconds.
 *
 * @param killWait       how long to wait for an exit after SIGKILL
 * @param probeEvery     how often a readiness probe (RCON) is tried while a server starts
 * @param statsInterval  stats samples are kept and published at most this often
 * @param outsideStopWindow an exit this soon after a signal the daemon did not send (an operator's
 *                       docker stop, the engine shutting down) is an outside stop, not a crash
 * @param crashes        the crash-restart backoff and loop window
 */
public record SupervisorPolicy(Duration killWait, Duration probeEvery, Duration statsInterval,
                               Duration outsideStopWindow, CrashPolicy.Settings crashes) {

    public static SupervisorPolicy defaults() {
        return new SupervisorPolicy(Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(30), CrashPolicy.Settings.DEFAULTS);
    }
}
