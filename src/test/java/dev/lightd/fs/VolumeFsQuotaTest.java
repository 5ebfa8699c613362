package dev.lightd.fs;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the file operations of a volume reserve from and give back to its budget, on a real folder,
 * with a simple budget of N bytes standing in for the volume's quota.
 */
class VolumeFsQuotaTest {

    /** A limit and the bytes taken, as a quota keeps them. */
    static final class Budget implements DiskBudget {
        final long limit;
        long used;

        Budget(long limit) {
            this.limit = limit;
        }

        @Override
        public synchronized void reserve(long bytes, String what) {
            if (used + bytes > limit) {
                throw ServiceException.insufficientStorage("Disk quota exceeded: " + what);
            }
            used += bytes;
        }

        @Override
        public synchronized void release(long bytes) {
            used -= bytes;
        }
    }

    @TempDir
    Path root;
    Budget budget;
    VolumeFs fs;

    @BeforeEach
    void volume() {
        budget = new Budget(1000);
        fs = new VolumeFs(root, budget);
    }

    List<String> listing() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aWriteKeepsExactlyItsBytesAndAReplacementOnlyWhatItAdds() {
        fs.writeFile(VolumePath.parse("a.txt"), new byte[600]);
        assertThat(budget.used).isEqualTo(600);
        fs.writeFile(VolumePath.parse("a.txt"), new byte[900]); // 600 -> 900 fits 1000
        assertThat(budget.used).isEqualTo(900);
        fs.writeFile(VolumePath.parse("a.txt"), new byte[100]);
        assertThat(budget.used).isEqualTo(100);
    }

    @Test
    void aRefusedWriteLeavesNothingAndGivesEverythingBack() throws IOException {
        fs.writeFile(VolumePath.parse("a.txt"), new byte[600]);
        List<String> before = listing();
        assertThatThrownBy(() -> fs.writeFile(VolumePath.parse("deep/b.txt"), new byte[401]))
                .hasMessage("Disk quota exceeded: writing 401 bytes");
        assertThat(listing()).isEqualTo(before);
        assertThat(budget.used).isEqualTo(600);
    }

    @Test
    void copiesReserveTheirSizeFirstAndDeletesGiveBack() throws IOException {
        fs.writeFile(VolumePath.parse("f/one"), new byte[300]);
        fs.writeFile(VolumePath.parse("f/two"), new byte[200]);
        fs.copy(VolumePath.parse("f/one"), VolumePath.parse("g/one"));
        assertThat(budget.used).isEqualTo(800);
        List<String> before = listing();
        assertThatThrownBy(() -> fs.copy(VolumePath.parse("f"), VolumePath.parse("h")))
                .hasMessage("Disk quota exceeded: copying 500 bytes");
        assertThat(listing()).isEqualTo(before);
        fs.delete(VolumePath.parse("f"));
        assertThat(budget.used).isEqualTo(300);
        fs.copy(VolumePath.parse("g"), VolumePath.parse("h"));
        assertThat(budget.used).isEqualTo(600);
    }

    @Test
    void anArchivePastTheBudgetIsRefusedAsItIsWrittenAndLeavesNothing() throws IOException {
        byte[] noise = new byte[2000];
        new Random(3).nextBytes(noise);
        Files.write(root.resolve("noise.bin"), noise); // written from inside: not in the budget
        List<String> before = listing();
        assertThatThrownBy(() -> new ArchiveService().compress(fs, VolumePath.parse(""), ArchiveFormat.TAR_GZ, "backup"))
                .hasMessage("Disk quota exceeded: writing the archive 'backup.tar.gz'");
        assertThat(listing()).isEqualTo(before);
        assertThat(budget.used).isZero();
    }

    @Test
    void theWalkCountsRegularFilesOnlyAndNeverFollowsALink() throws IOException {
        Files.write(root.resolve("a"), new byte[10]);
        Files.createDirectories(root.resolve("d/e"));
        Files.write(root.resolve("d/e/b"), new byte[20]);
        Path outside = Files.createTempDirectory("quota-outside");
        try {
            Files.write(outside.resolve("big"), new byte[5000]);
            Files.createSymbolicLink(root.resolve("out"), outside);
            Files.createSymbolicLink(root.resolve("d/big"), outside.resolve("big"));
            assertThat(fs.usedBytes()).isEqualTo(30);
        } finally {
            Files.delete(outside.resolve("big"));
            Files.delete(outside);
        }
    }

    @Test
    void theWalkCountsATreeDeeperThanAPathCanBe() {
        // 20 levels of 250-character names: 5,000 characters, past PATH_MAX; made through descriptors
        String name = "d".repeat(250);
        SafeDir dir = SafeDir.openRoot(root);
        for (int i = 0; i < 20; i++) {
            Syscalls.mkdirat(dir.fd, name, 0755);
            SafeDir next = dir.entryDir(name);
            dir.close();
            dir = next;
        }
        int fd = dir.openEntry("f", Syscalls.O_WRONLY | Syscalls.O_CREAT, 0644);
        try {
            Files.write(SafeDir.proc(fd), new byte[7]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Syscalls.close(fd);
            dir.close();
        }
        assertThat(fs.usedBytes()).isEqualTo(7);
        fs.delete(VolumePath.parse(name)); // through descriptors: the temp folder's clean-up could not
    }
}
