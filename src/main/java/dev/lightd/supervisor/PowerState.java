package dev.lightd.supervisor;

import java.util.Locale;

/** Whether a supervised server's process runs: the one state both faces read. */
public enum PowerState {
    OFFLINE, STARTING, RUNNING, STOPPING;

    /** The name consoles and the Lightd face show ("offline", "running", ...). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The console event a change to this state is published as. */
    public String event() {
        return this == OFFLINE ? "exit" : wire();
    }

    public boolean up() {
        return this != OFFLINE;
    }
}
