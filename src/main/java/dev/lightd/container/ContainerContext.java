package dev.lightd.container;

import dev.lightd.config.LiveConfig;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.store.ContainerStore;
import dev.lightd.volume.VolumeService;

import java.nio.file.Path;
import java.time.Clock;

/** What the container layer's parts share. */
record ContainerContext(
        ContainerRuntime runtime,
        ContainerStore store,
        VolumeService volumes,
        ContainerEvents events,
        LiveConfig config,
        Clock clock,
        Path dataDir) {

    static final String NETWORK = "lightd_network";
    static final String LABEL = "managed-by=lightd";

    long now() {
        return clock.instant().getEpochSecond();
    }

    /** Writes the record before anything acts on it, so a restarted daemon knows what was asked. */
    void save(ManagedContainer c, ContainerRecord updated) {
        store.update(updated);
        c.record = updated;
    }
}
