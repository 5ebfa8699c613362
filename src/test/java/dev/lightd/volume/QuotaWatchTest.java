package dev.lightd.volume;

import dev.lightd.ServiceException;
import dev.lightd.config.ConfigFile;
import dev.lightd.config.LiveConfig;
import dev.lightd.fs.DiskReserve;
import dev.lightd.fs.VolumePath;
import dev.lightd.store.ContainerStore;
import dev.lightd.store.Database;
import dev.lightd.store.VolumeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The periodic check on a real store and real folders: what it finds over, and what a start is told. */
class QuotaWatchTest {

    static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;
    Database db;
    VolumeService volumes;
    final List<VolumeService.Measured> over = new ArrayList<>();
    QuotaWatch watch;

    @BeforeEach
    void setUp() {
        db = Database.open(dir.resolve("lightd.db"));
        ConfigFile file = new ConfigFile(dir);
        volumes = new VolumeService(new LiveConfig(file, file.loadOrCreate()), new VolumeStore(db),
                new ContainerStore(db)::usesVolume, Clock.systemUTC(), DiskReserve.none());
        watch = new QuotaWatch(volumes, () -> Duration.ofHours(1), over::add);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aVolumeFilledFromOutsideTheApiIsFoundOverAndRefusesStartsUntilFreed() throws Exception {
        Volume limited = volumes.create(MIB);
        Volume unlimited = volumes.create();
        Files.write(unlimited.path().resolve("big"), new byte[(int) (3 * MIB)]);
        volumes.requireUnderLimit(limited.id());

        Files.write(limited.path().resolve("fill"), new byte[(int) (2 * MIB)]); // as dd in the container would
        watch.checkOnce();
        assertThat(over).singleElement().satisfies(m -> {
            assertThat(m.volume().id()).isEqualTo(limited.id());
            assertThat(m.used()).isEqualTo(2 * MIB);
        });
        assertThatThrownBy(() -> volumes.requireUnderLimit(limited.id()))
                .isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.BAD_REQUEST))
                .hasMessage("Disk quota exceeded: the volume uses 2097152 bytes of its 1048576-byte limit;"
                        + " free space in it before starting");
        assertThatThrownBy(() -> volumes.files(limited).writeFile(VolumePath.parse("x"), new byte[1]))
                .hasMessageStartingWith("Disk quota exceeded: writing 1 bytes would pass");

        volumes.files(volumes.find(limited.id())).delete(VolumePath.parse("fill"));
        volumes.requireUnderLimit(limited.id());
        over.clear();
        watch.checkOnce();
        assertThat(over).isEmpty();
    }

    @Test
    void aLimitSetLaterIsStoredAndMeasuredAgain() throws Exception {
        Volume v = volumes.create();
        Files.write(v.path().resolve("fill"), new byte[(int) (2 * MIB)]);
        volumes.setDiskLimit(v.id(), MIB);
        assertThat(volumes.find(v.id()).diskLimit()).isEqualTo(MIB);
        assertThat(volumes.diskUsed(volumes.find(v.id()))).isEqualTo(2 * MIB);
        watch.checkOnce();
        assertThat(over).hasSize(1);
        assertThatThrownBy(() -> volumes.setDiskLimit(v.id(), 5))
                .hasMessage("Invalid disk_limit: must be 0 (no limit) or at least 1048576 bytes");
        volumes.setDiskLimit(v.id(), 0);
        over.clear();
        watch.checkOnce();
        assertThat(over).isEmpty();
    }
}
