package dev.lightd.fs;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Streamed uploads on a real folder: limits checked before writing, nothing visible until committed. */
class UploadTest {

    @TempDir
    Path root;
    VolumeFs fs;

    @BeforeEach
    void volume() throws IOException {
        Files.createDirectories(root.resolve("plugins"));
        fs = new VolumeFs(root);
    }

    List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void filesAppearOnlyWhenCommitted() throws IOException {
        try (Upload up = fs.upload(VolumePath.parse("plugins"), 10, 2)) {
            up.startFile("a.txt");
            up.write(ByteBuffer.wrap("hello".getBytes()));
            up.startFile("b.txt");
            up.write(ByteBuffer.wrap("world".getBytes()));
            assertThat(names(root.resolve("plugins"))).hasSize(2).allMatch(n -> n.startsWith(VolumeFs.TEMP_PREFIX));
            assertThat(up.commit()).containsExactly("a.txt", "b.txt");
        }
        assertThat(names(root.resolve("plugins"))).containsExactly("a.txt", "b.txt");
        assertThat(root.resolve("plugins/b.txt")).hasContent("world");
    }

    @Test
    void pastTheByteLimitNothingMoreIsWrittenAndClosingLeavesNothing() throws IOException {
        Files.writeString(root.resolve("plugins/a.txt"), "old");
        try (Upload up = fs.upload(VolumePath.parse("plugins"), 10, 5)) {
            up.startFile("a.txt");
            up.write(ByteBuffer.wrap("123456".getBytes()));
            up.startFile("b.txt");
            assertThatThrownBy(() -> up.write(ByteBuffer.wrap("12345".getBytes())))
                    .isInstanceOf(ServiceException.class)
                    .hasMessage("Upload refused: larger than 10 bytes (storage.max_upload_bytes)");
        }
        assertThat(names(root.resolve("plugins"))).containsExactly("a.txt");
        assertThat(root.resolve("plugins/a.txt")).hasContent("old");
    }

    @Test
    void tooManyFilesBadNamesAndFoldersInTheWayAreRefused() throws IOException {
        Files.createDirectories(root.resolve("plugins/dir"));
        try (Upload up = fs.upload(VolumePath.parse("plugins"), 10, 1)) {
            for (String bad : new String[] {"", ".", "..", "a/b", "..\\b", "nul\0"}) {
                assertThatThrownBy(() -> up.startFile(bad)).hasMessageStartingWith("Invalid file name");
            }
            assertThatThrownBy(() -> up.startFile("dir")).hasMessage("Is a folder: plugins/dir");
            up.startFile("one.txt");
            assertThatThrownBy(() -> up.startFile("two.txt"))
                    .hasMessage("Upload refused: more than 1 files (storage.max_upload_files)");
        }
        assertThat(names(root.resolve("plugins"))).containsExactly("dir");
    }

    @Test
    void theFolderMustExistInside() throws IOException {
        assertThatThrownBy(() -> fs.upload(VolumePath.parse("nope"), 10, 1))
                .hasMessage("Upload folder not found: nope");
        Path outside = Files.createTempDirectory("lightd-upload-out");
        Files.createSymbolicLink(root.resolve("out"), outside);
        assertThatThrownBy(() -> fs.upload(VolumePath.parse("out"), 10, 1))
                .hasMessage(VolumePath.TRAVERSAL);
        Files.delete(outside);
    }

    @Test
    void eachWriteAsksTheDiskBudgetAndARefusedUploadGivesEverythingBack() throws IOException {
        Files.writeString(root.resolve("plugins/old.txt"), "1234");
        long[] taken = {0};
        DiskBudget budget = new DiskBudget() {
            @Override
            public void reserve(long bytes, String what) {
                if (taken[0] + bytes > 8) {
                    throw ServiceException.insufficientStorage("Disk quota exceeded: " + what);
                }
                taken[0] += bytes;
            }

            @Override
            public void release(long bytes) {
                taken[0] -= bytes;
            }
        };
        VolumeFs limited = new VolumeFs(root, budget);
        try (Upload up = limited.upload(VolumePath.parse("plugins"), 100, 5)) {
            up.startFile("a.txt");
            up.write(ByteBuffer.wrap("12345".getBytes()));
            assertThatThrownBy(() -> up.write(ByteBuffer.wrap("6789".getBytes())))
                    .hasMessage("Disk quota exceeded: uploading 'a.txt'");
        }
        assertThat(taken[0]).isZero();
        assertThat(names(root.resolve("plugins"))).containsExactly("old.txt");

        try (Upload up = limited.upload(VolumePath.parse("plugins"), 100, 5)) {
            up.startFile("old.txt");
            up.write(ByteBuffer.wrap("123456".getBytes()));
            up.commit();
        }
        assertThat(taken[0]).as("6 written, 4 freed by the file replaced").isEqualTo(2);
        assertThat(root.resolve("plugins/old.txt")).hasContent("123456");
    }
}
