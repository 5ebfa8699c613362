package dev.lightd.config;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/** The running configuration; replaced as a whole by a reload so readers never see half of one. */
public final class LiveConfig {

    private final ConfigFile file;
    private final AtomicReference<LightdConfig> current;
    private final List<BiConsumer<LightdConfig, LightdConfig>> listeners = new CopyOnWriteArrayList<>();

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
        LightdConfig old = current.getAndSet(fresh);
        listeners.forEach(l -> l.accept(old, fresh));
        return fresh;
    }

    /** Called with the old and the new config after every reload (e.g. the master token changed). */
    public void onReload(BiConsumer<LightdConfig, LightdConfig> listener) {
        listeners.add(listener);
    }
}
