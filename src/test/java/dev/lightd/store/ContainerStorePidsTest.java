package dev.lightd.store;

import dev.lightd.config.ConfigFile;
import dev.lightd.config.LiveConfig;
import dev.lightd.store.ContainerStore.InsertResult;
import dev.lightd.volume.VolumeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A container's own PID limit (migration V7) is written on insert and update and read back, against real SQLite. */
class ContainerStorePidsTest {

    @TempDir
    Path dir;
    Database db;
    ContainerStore containers;
    String volumeId;

    @BeforeEach
    void setUp() {
        db = Database.open(dir.resolve("lightd.db"));
        ConfigFile file = new ConfigFile(dir);
        containers = new ContainerStore(db);
        volumeId = new VolumeService(new LiveConfig(file, file.loadOrCreate()), new VolumeStore(db),
                containers::usesVolume, Clock.systemUTC()).create().id();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static ContainerRow row(String volumeId, long pids) {
        return new ContainerRow("pids-test", null, volumeId, "busybox", "sleep 600", null, "", "READY", false,
                List.of(), 67108864, 0.5, pids, null, false, false, null, 1, 1);
    }

    @Test
    void pidsAreStoredOnInsertAndUpdate() {
        assertThat(containers.insert(row(volumeId, 64))).isEqualTo(InsertResult.INSERTED);
        assertThat(containers.find("pids-test").orElseThrow().pids()).isEqualTo(64);
        containers.update(row(volumeId, 128));
        ContainerRow back = containers.find("pids-test").orElseThrow();
        assertThat(back.pids()).isEqualTo(128);
        assertThat(back.memory()).isEqualTo(67108864);
        assertThat(back.cpu()).isEqualTo(0.5);
    }

    @Test
    void aRowWithoutItsOwnLimitReadsZero() {
        containers.insert(row(volumeId, 0));
        assertThat(containers.all()).singleElement().extracting(ContainerRow::pids).isEqualTo(0L);
    }
}
