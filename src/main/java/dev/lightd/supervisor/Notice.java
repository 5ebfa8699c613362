package dev.lightd.supervisor;

import java.time.Duration;

/** What the supervisor tells a face about its server, for the face's own messages, panel and log. */
public sealed interface Notice {

    /** The power state changed (the console was told already). */
    record StateChanged(PowerState state) implements Notice {}

    /** The process was started (after a start, a crash restart or a resume). */
    record Started() implements Notice {}

    /** It exited because it was asked to (stop, kill, restart). */
    record Stopped() implements Notice {}

    /**
     * The engine ended it without being asked by this daemon (an operator's docker stop or kill, or
     * the engine shutting down): not a crash; still wanted, so the next reconcile brings it back.
     */
    record StoppedFromOutside(int exitCode) implements Notice {}

    /** It exited with 0 by itself (a `stop` typed in its console): not a crash, and no longer wanted running. */
    record CleanExit() implements Notice {}

    /** It exited by itself with this code; what follows is RestartScheduled, CrashLoop or nothing (no restarts). */
    record Crashed(int exitCode) implements Notice {}

    record RestartScheduled(int exitCode, Duration delay) implements Notice {}

    /** Crashed too often within the window: left down and no longer wanted running. */
    record CrashLoop(int exitCode, int maxCrashes, Duration window) implements Notice {}

    /** A start failed; the message says why (the exception's, or the engine's). */
    record StartFailed(RuntimeException error) implements Notice {}

    /** Started again because it should run and did not (daemon start or engine back). */
    record Resumed(boolean boot) implements Notice {}

    /** A running engine container taken under watch again (daemon start or engine back). */
    record Adopted() implements Notice {}
}
