package dev.lightd;

import dev.lightd.runtime.ContainerNameTakenException;

/**
 * What a client is told when the engine refuses what a face asked: the words, in one place for
 * both faces and for the daemon_message of a container whose install or start it refused.
 */
public final class EngineRefusals {

    private EngineRefusals() {}

    /** A conflict (409) on both faces. */
    public static String nameTaken(ContainerNameTakenException e) {
        return "Container name '" + e.name() + "' is taken by a container this daemon does not manage";
    }
}
