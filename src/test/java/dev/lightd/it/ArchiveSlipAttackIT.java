package dev.lightd.it;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Zip slip": archives crafted to write outside the destination through their entry names or their
 * links. Each is refused whole, names the entry, and leaves nothing behind, inside or outside.
 */
class ArchiveSlipAttackIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withVolume();
    static final ApiClient api = daemon.api();
    static String vol;
    static Path root;
    static Outside outside;

    @BeforeAll
    static void volume() {
        vol = daemon.volume().prefix();
        root = daemon.volume().path();
        outside = new Outside();
    }

    /** A tar entry: name, then either content, or a symlink ("sym:target") or hard link ("hard:target"). */
    record Entry(String name, String spec) {}

    static void tarGz(Path file, List<Entry> entries) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry te;
                if (e.spec().startsWith("sym:")) {
                    te = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK, true);
                    te.setLinkName(e.spec().substring(4));
                    tar.putArchiveEntry(te);
                } else if (e.spec().startsWith("hard:")) {
                    te = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_LINK, true);
                    te.setLinkName(e.spec().substring(5));
                    tar.putArchiveEntry(te);
                } else {
                    byte[] data = e.spec().getBytes(StandardCharsets.UTF_8);
                    te = new TarArchiveEntry(e.name(), true);
                    te.setSize(data.length);
                    tar.putArchiveEntry(te);
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            }
        }
    }

    static void zip(Path file, List<Entry> entries) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(file))) {
            for (Entry e : entries) {
                ZipArchiveEntry ze = new ZipArchiveEntry(e.name());
                byte[] data;
                if (e.spec().startsWith("sym:")) {
                    ze.setUnixMode(0120777);
                    data = e.spec().substring(4).getBytes(StandardCharsets.UTF_8);
                } else {
                    data = e.spec().getBytes(StandardCharsets.UTF_8);
                }
                zip.putArchiveEntry(ze);
                zip.write(data);
                zip.closeArchiveEntry();
            }
        }
    }

    private void assertRefusedCleanly(String archive, String entry, String why) throws IOException {
        var before = outside.snapshot();
        List<String> volumeBefore = listing();
        var res = api.post("/volumes/" + vol + "/decompress", Map.of("archive_path", archive, "destination", "dest"));
        assertThat(res.status()).as(archive + " -> " + res.body()).isEqualTo(400);
        assertThat(res.json()).as(archive).isEqualTo(json("{\"error\":\"Archive entry '" + entry + "' " + why + "\"}"));
        assertThat(outside.snapshot()).isEqualTo(before);
        assertThat(listing()).as("nothing left behind").isEqualTo(volumeBefore);
        assertThat(Path.of("/tmp/evil.txt")).doesNotExist();
    }

    private static List<String> listing() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void dotDotEntries() throws Exception {
        tarGz(root.resolve("dotdot.tar.gz"), List.of(new Entry("ok.txt", "fine"), new Entry("../evil.txt", "x")));
        assertRefusedCleanly("dotdot.tar.gz", "../evil.txt", "would land outside the destination");
        zip(root.resolve("dotdot.zip"), List.of(new Entry("ok.txt", "fine"), new Entry("a/../../../evil.txt", "x")));
        assertRefusedCleanly("dotdot.zip", "a/../../../evil.txt", "would land outside the destination");
    }

    @Test
    void absoluteEntries() throws Exception {
        tarGz(root.resolve("abs.tar.gz"), List.of(new Entry("ok.txt", "fine"), new Entry("/tmp/evil.txt", "x")));
        assertRefusedCleanly("abs.tar.gz", "/tmp/evil.txt", "would land outside the destination");
        zip(root.resolve("abs.zip"), List.of(new Entry("/tmp/evil.txt", "x")));
        assertRefusedCleanly("abs.zip", "/tmp/evil.txt", "would land outside the destination");
    }

    @Test
    void outwardSymlinkThenWriteThroughIt() throws Exception {
        tarGz(root.resolve("sym.tar.gz"), List.of(new Entry("ok.txt", "fine"),
                new Entry("link", "sym:" + outside.dir), new Entry("link/canary.txt", "pwned")));
        assertRefusedCleanly("sym.tar.gz", "link", "is a link pointing outside the destination");
        tarGz(root.resolve("relsym.tar.gz"), List.of(new Entry("a/link", "sym:../../x")));
        assertRefusedCleanly("relsym.tar.gz", "a/link", "is a link pointing outside the destination");
        zip(root.resolve("sym.zip"), List.of(new Entry("link", "sym:/etc")));
        assertRefusedCleanly("sym.zip", "link", "is a link pointing outside the destination");
    }

    @Test
    void outwardHardLink() throws Exception {
        tarGz(root.resolve("hard.tar.gz"), List.of(new Entry("ok.txt", "fine"), new Entry("pw", "hard:/etc/passwd")));
        assertRefusedCleanly("hard.tar.gz", "pw", "is a link pointing outside the destination");
        tarGz(root.resolve("hard2.tar.gz"), List.of(new Entry("pw", "hard:../../../../etc/passwd")));
        assertRefusedCleanly("hard2.tar.gz", "pw", "is a link pointing outside the destination");
    }

    @Test
    void linksThatStayInsideAreKept() throws Exception {
        tarGz(root.resolve("good.tar.gz"), List.of(new Entry("a/file.txt", "data"),
                new Entry("a/sym", "sym:file.txt"), new Entry("b/hard", "hard:a/file.txt")));
        var res = api.post("/volumes/" + vol + "/decompress", Map.of("archive_path", "good.tar.gz", "destination", "good"));
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        assertThat(Files.readString(root.resolve("good/a/sym"))).isEqualTo("data");
        assertThat(Files.readString(root.resolve("good/b/hard"))).isEqualTo("data");
    }
}
