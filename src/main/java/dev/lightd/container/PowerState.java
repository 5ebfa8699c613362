package dev.lightd.container;

import java.util.Locale;

/** Whether the server process runs; a field of its own beside the install state. */
public enum PowerState {
    OFFLINE, STARTING, RUNNING, STOPPING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
