package dev.lightd.config;

import java.util.concurrent.atomic.AtomicReference;

/** The running configuration; replaced as a whole by a reload so readers never see half of one. */
public final class LiveConfig {

    private final ConfigFile file;
    private final AtomicReference<LightdConfig> current;

    public LiveConfig(ConfigFile file, LightdConfig initial) {
        this.file = file;
        this.current = new AtomicReference<>(initial);
    }

    public LightdConfig get() {
        return current.get();
    }

    /** Re-reads config.json; on any problem the running config stays as it was and the error propagates. */
    public LightdConfig reload() {
        LightdConfig fresh = file.load();
        current.set(fresh);
        return fresh;
    }
}
