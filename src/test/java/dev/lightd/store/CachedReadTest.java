package dev.lightd.store;

import dev.lightd.store.PortStore.PortRow;
import dev.lightd.store.VolumeStore.VolumeRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The list reads kept in memory (ports, volumes) see every write, whichever store made it, against real SQLite. */
class CachedReadTest {

    @TempDir
    Path dir;
    Database db;
    PortStore ports;
    VolumeStore volumes;

    @BeforeEach
    void setUp() {
        db = Database.open(dir.resolve("lightd.db"));
        ports = new PortStore(db);
        volumes = new VolumeStore(db);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aReadWithNoWriteSinceIsAnsweredFromMemory() {
        ports.insert(new PortRow("127.0.0.1", 25565, "tcp", false));
        var first = ports.all();
        assertThat(ports.all()).isSameAs(first);
        volumes.all();
        assertThat(ports.all()).as("a read of another table writes nothing").isSameAs(first);
    }

    @Test
    void everyKindOfWriteIsSeenByTheNextRead() {
        assertThat(ports.all()).isEmpty();
        ports.insert(new PortRow("127.0.0.1", 25565, "tcp", false));
        assertThat(ports.all()).containsExactly(new PortRow("127.0.0.1", 25565, "tcp", false));
        // as ContainerStore marks a port taken inside its own transaction
        db.transaction(c -> PortStore.setInUse(c, "127.0.0.1", 25565, true));
        assertThat(ports.all()).containsExactly(new PortRow("127.0.0.1", 25565, "tcp", true));
        ports.delete("127.0.0.1", 25565);
        assertThat(ports.all()).isEmpty();

        volumes.insert(new VolumeRow("v1", dir.resolve("v1").toString(), 1));
        assertThat(volumes.all()).extracting(VolumeRow::id).containsExactly("v1");
        volumes.setDiskLimit("v1", 1024);
        assertThat(volumes.all()).extracting(VolumeRow::diskLimit).containsExactly(1024L);
        volumes.delete("v1");
        assertThat(volumes.all()).isEmpty();
    }

    @Test
    void aFailedWriteLeavesTheCacheCorrect() {
        ports.insert(new PortRow("127.0.0.1", 25565, "tcp", false));
        ports.all();
        try {
            db.transaction(c -> {
                PortStore.setInUse(c, "127.0.0.1", 25565, true);
                throw new IllegalStateException("rolled back");
            });
        } catch (IllegalStateException expected) {
            // the update was rolled back
        }
        assertThat(ports.all()).containsExactly(new PortRow("127.0.0.1", 25565, "tcp", false));
    }
}
