package dev.lightd.fs;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Compress and extract on a real folder: what comes out is byte for byte what went in, in every
 * format, across the chunk, piece and block sizes of the extraction and the gzip writer, and a
 * limit still refuses in the middle of a file and leaves nothing behind.
 */
class ArchiveRoundTripTest {

    @TempDir
    Path root;
    VolumeFsQuotaTest.Budget budget;
    VolumeFs fs;

    @BeforeEach
    void tree() throws IOException {
        budget = new VolumeFsQuotaTest.Budget(Long.MAX_VALUE / 2);
        fs = new VolumeFs(root, budget);
        Path src = Files.createDirectories(root.resolve("src/world/region"));
        Files.write(src.resolve("r.0.mca"), ParallelGzipOutputStreamTest.random(3 * 1024 * 1024 + 17, 1));
        Files.write(root.resolve("src/latest.log"), ParallelGzipOutputStreamTest.text(2 * 1024 * 1024 + 5, 2));
        for (int i = 0; i < 40; i++) { // small files across folders, as plugins have them
            Path dir = Files.createDirectories(root.resolve("src/plugins/p" + (i % 4) + "/data"));
            Files.write(dir.resolve("f" + i + ".yml"), i % 3 == 0
                    ? ParallelGzipOutputStreamTest.random(1000 + i * 997, i)
                    : ParallelGzipOutputStreamTest.text(1000 + i * 997, i));
        }
        Files.write(root.resolve("src/empty.txt"), new byte[0]);
        Files.createDirectories(root.resolve("src/empty-folder"));
    }

    Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String rel = dir.relativize(p).toString();
                all.put(rel, Files.isDirectory(p) ? "folder" : Integer.toHexString(java.util.Arrays.hashCode(Files.readAllBytes(p)))
                        + "/" + Files.size(p));
            }
        }
        return all;
    }

    @ParameterizedTest
    @EnumSource(value = ArchiveFormat.class, names = {"TAR_GZ", "TAR_ZST", "ZIP"})
    void whatIsExtractedIsWhatWasCompressed(ArchiveFormat format) throws IOException {
        ArchiveResult archive = new ArchiveService().compress(fs, VolumePath.parse("src"), format, "out");
        new ArchiveService().decompress(fs, VolumePath.parse(archive.archivePath()), VolumePath.parse("copy"),
                new ArchiveLimits(1L << 30, 1000));

        assertThat(contents(root.resolve("copy"))).isEqualTo(contents(root.resolve("src")));
        try (Stream<Path> top = Files.list(root)) {
            assertThat(top.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("src", "copy", archive.archivePath());
        }
    }

    @Test
    void aLimitReachedInTheMiddleOfAFileRefusesAndLeavesNothing() throws IOException {
        ArchiveResult archive = new ArchiveService().compress(fs, VolumePath.parse("src"), ArchiveFormat.TAR_GZ, "out");
        long before = budget.used;

        assertThatThrownBy(() -> new ArchiveService().decompress(fs, VolumePath.parse(archive.archivePath()),
                VolumePath.parse("copy"), new ArchiveLimits(4 * 1024 * 1024, 1000)))
                .isInstanceOf(ServiceException.class)
                .hasMessageStartingWith("Archive refused: it expands past 4194304 bytes (storage.max_extract_bytes) at entry '");
        assertThat(budget.used).isEqualTo(before);
        try (Stream<Path> top = Files.list(root)) {
            assertThat(top.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("src", archive.archivePath());
        }
    }
}
