package dev.lightd.supervisor;

import dev.lightd.runtime.ContainerState;

import java.util.Optional;

/**
 * What a face supplies for each server it hands to the supervisor: its own rules before a start,
 * the engine container it runs in, when it is ready, how it stops, and what it does with notices.
 * The supervisor calls these on the server's power thread, except {@link #line} and {@link #notice}.
 */
public interface ServerDriver {

    /** The engine container's id as the face records it; null when it has none yet. */
    String engineId();

    /** Refuses a start the face's rules forbid (not installed, world locked by another): throws. */
    void checkStart();

    /**
     * The engine container to start: the existing one when it is fit to run, else a new one (the
     * face removes the old, creates, records the new id). Returns the engine id.
     */
    String prepare(Optional<ContainerState> existing);

    Readiness readiness();

    StopStrategy stopStrategy();

    /** Persists whether the server should be running (wants_running). */
    void saveWantsRunning(boolean wantsRunning);

    /** Restart after a crash at all (the Lightd face's restart_on_crash; always for Minecraft). */
    boolean restartOnCrash();

    /** Exit code 0 by itself counts as a crash too (Wings' DetectCleanExitAsCrash); off by default. */
    boolean crashOnCleanExit();

    /** What the engine says of the container, on every reconcile (daemon start, engine back). */
    default void inspected(Optional<ContainerState> state) {}

    /** A console line of the running process (join and leave lines, say). */
    default void line(String line) {}

    void notice(Notice notice);
}
