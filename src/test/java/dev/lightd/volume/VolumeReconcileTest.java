package dev.lightd.volume;

import dev.lightd.config.ConfigFile;
import dev.lightd.config.LiveConfig;
import dev.lightd.store.ContainerStore;
import dev.lightd.store.Database;
import dev.lightd.store.VolumeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What a kill -9 leaves behind, put right at the next start. */
class VolumeReconcileTest {

    @TempDir
    Path dir;
    @TempDir
    Path outside;
    Database db;
    VolumeService volumes;
    LiveConfig config;

    @BeforeEach
    void setUp() {
        db = Database.open(dir.resolve("lightd.db"));
        ConfigFile file = new ConfigFile(dir);
        config = new LiveConfig(file, file.loadOrCreate());
        volumes = new VolumeService(config, new VolumeStore(db), new ContainerStore(db)::usesVolume, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void tempFilesAreRemovedAndNothingElseNorAnythingBehindALink() throws Exception {
        Volume v = volumes.create();
        Path root = v.path();
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve(".lightd-tmp-0011"), "half");
        Files.writeString(root.resolve("a/b/.lightd-tmp-22"), "half");
        Files.writeString(root.resolve("a/b/keep.txt"), "keep");
        Files.writeString(root.resolve("lightd-tmp-x"), "keep");
        Files.writeString(outside.resolve(".lightd-tmp-outside"), "outside");
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve(".lightd-tmp-link"), outside.resolve(".lightd-tmp-outside"));

        volumes.reconcileAtStart();

        assertThat(root.resolve(".lightd-tmp-0011")).doesNotExist();
        assertThat(root.resolve("a/b/.lightd-tmp-22")).doesNotExist();
        assertThat(Files.exists(root.resolve(".lightd-tmp-link"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(root.resolve("a/b/keep.txt")).hasContent("keep");
        assertThat(root.resolve("lightd-tmp-x")).hasContent("keep");
        assertThat(Files.isSymbolicLink(root.resolve("out"))).isTrue();
        assertThat(outside.resolve(".lightd-tmp-outside")).hasContent("outside");
    }

    @Test
    void aRowWithoutItsFolderGetsItAgainAndAnEmptyFolderWithoutARowGoes() throws Exception {
        Volume v = volumes.create();
        Files.delete(v.path());
        Path volumesDir = v.path().getParent();
        Path emptyOrphan = volumesDir.resolve(UUID.randomUUID().toString());
        Path fullOrphan = volumesDir.resolve(UUID.randomUUID().toString());
        Path notOurs = volumesDir.resolve("not-a-volume");
        Files.createDirectories(emptyOrphan);
        Files.createDirectories(fullOrphan);
        Files.writeString(fullOrphan.resolve("data"), "data");
        Files.createDirectories(notOurs);

        volumes.reconcileAtStart();

        assertThat(v.path()).isDirectory();
        assertThat(volumes.find(v.id()).path()).isEqualTo(v.path());
        assertThat(emptyOrphan).doesNotExist();
        assertThat(fullOrphan.resolve("data")).hasContent("data");
        assertThat(notOurs).isDirectory();
    }
}
