package dev.lightd.container;

import java.util.Locale;

public enum InstallState {
    INSTALLING, READY, FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
