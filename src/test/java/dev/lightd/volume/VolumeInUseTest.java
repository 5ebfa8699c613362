package dev.lightd.volume;

import dev.lightd.ServiceException;
import dev.lightd.config.ConfigFile;
import dev.lightd.config.LiveConfig;
import dev.lightd.store.ContainerRow;
import dev.lightd.store.ContainerStore;
import dev.lightd.store.Database;
import dev.lightd.store.VolumeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A volume a recorded container mounts cannot be deleted; the store answers, against a real SQLite file. */
class VolumeInUseTest {

    @TempDir
    Path dir;
    Database db;
    ContainerStore containers;
    VolumeService volumes;

    @BeforeEach
    void setUp() {
        db = Database.open(dir.resolve("lightd.db"));
        ConfigFile file = new ConfigFile(dir);
        containers = new ContainerStore(db);
        volumes = new VolumeService(new LiveConfig(file, file.loadOrCreate()), new VolumeStore(db),
                containers::usesVolume, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static ContainerRow mounting(String volumeId) {
        return new ContainerRow("in-use-test", null, volumeId, "busybox", "sleep 600", null, "", "READY", false,
                List.of(), 67108864, 0.5, 0, null, false, false, null, 1, 1);
    }

    @Test
    void aMountedVolumeIsRefusedAndFreedWithItsContainer() {
        Volume used = volumes.create();
        Volume other = volumes.create();
        ContainerRow record = mounting(used.id());
        containers.insert(record);

        assertThat(containers.usesVolume(used.id())).isTrue();
        assertThat(containers.usesVolume(other.id())).isFalse();
        assertThatThrownBy(() -> volumes.delete(used.id()))
                .isInstanceOf(ServiceException.class)
                .hasMessage("Volume is in use by a container");
        assertThat(used.path()).isDirectory();

        volumes.delete(other.id());
        containers.delete(record);
        volumes.delete(used.id());
        assertThat(used.path()).doesNotExist();
        assertThat(volumes.list()).isEmpty();
    }
}
