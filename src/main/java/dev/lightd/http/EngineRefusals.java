package dev.lightd.http;

import dev.lightd.runtime.ContainerNameTakenException;

/** What a client of either face is told when the engine refuses a request (the body format is the face's). */
public final class EngineRefusals {

    private EngineRefusals() {}

    /** Answered as a conflict (409) on both faces. */
    public static String nameTaken(ContainerNameTakenException e) {
        return "Container name '" + e.name() + "' is taken by a container this daemon does not manage";
    }
}
