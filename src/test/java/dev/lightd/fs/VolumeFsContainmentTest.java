package dev.lightd.fs;

import dev.lightd.ServiceException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The openat2 path resolution of a volume, on a real folder: what a client's path or a link the
 * game server made can and cannot reach. The volume is {@code <tmp>/volume}; next to it,
 * {@code <tmp>/outside} holds a secret that must never be read, written or listed through the volume.
 */
class VolumeFsContainmentTest {

    @TempDir
    Path tmp;
    Path root;
    Path outside;
    VolumeFs fs;

    /** A listing as name, type and size (the times are the test's own). */
    static List<String> shown(List<FileEntry> entries) {
        return entries.stream().map(e -> e.name() + " " + e.type() + " " + e.size()).toList();
    }

    @BeforeEach
    void volumeAndItsNeighbour() throws IOException {
        root = Files.createDirectory(tmp.resolve("volume"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        fs = new VolumeFs(root);
    }

    static VolumePath p(String text) {
        return VolumePath.parse(text);
    }

    static String read(VolumeFs fs, VolumePath path) throws IOException {
        try (InputStream in = fs.read(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void assertBadRequest(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.kind()).isEqualTo(ServiceException.Kind.BAD_REQUEST);
        });
    }

    static void assertTraversal(ThrowingCallable call) {
        assertBadRequest(call, "Invalid path: path traversal detected");
    }

    /** Every path under the folder with its content, to compare before and after. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.toList()) {
                out.put(dir.relativize(f).toString(), Files.isRegularFile(f) ? Files.readString(f) : "<dir>");
            }
        }
        return out;
    }

    // --- the client's text --------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"..", "../outside/secret.txt", "a/../../outside/secret.txt", "a/..", "/etc/passwd",
            "/", "ok\u0000/../../x", "x\u0000", "%2e%2e/outside/secret.txt", "a/%2E%2E/%2e%2e/x", "..%2foutside",
            "a\\..\\..\\x"})
    void dotDotAbsoluteAndNulAreRefusedAsText(String text) {
        assertTraversal(() -> VolumePath.parse(text));
    }

    @Test
    void harmlessTextIsNormalisedToSegments() {
        assertThat(p("./a//b/./c.txt").segments()).containsExactly("a", "b", "c.txt");
        assertThat(p("a..b/..c/d..").segments()).containsExactly("a..b", "..c", "d..");
        assertThat(p("").isRoot()).isTrue();
        assertThat(p(null).isRoot()).isTrue();
    }

    // --- the kernel, for a path that got past the text check -----------------------------------

    @Test
    void dotDotSegmentsAreStoppedByOpenat2Too() throws IOException {
        VolumePath up = new VolumePath(List.of("..", "outside", "secret.txt"));
        assertTraversal(() -> fs.read(up));
        assertTraversal(() -> fs.writeFile(up, "pwned".getBytes()));
        assertTraversal(() -> fs.list(new VolumePath(List.of("..", "outside"))));
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("secret");
    }

    @Test
    void anAbsoluteSegmentIsStoppedByOpenat2Too() {
        VolumePath absolute = new VolumePath(List.of(outside.resolve("secret.txt").toString()));
        assertTraversal(() -> fs.read(absolute));
        assertTraversal(() -> fs.list(new VolumePath(List.of("/etc"))));
    }

    // --- links the game server made -------------------------------------------------------------

    @Test
    void aLinkToEtcIsNeitherReadNorWrittenNorListedThrough() throws IOException {
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        assertTraversal(() -> fs.read(p("etc/passwd")));
        assertTraversal(() -> fs.list(p("etc")));
        assertTraversal(() -> fs.writeFile(p("etc/lightd-pwned"), "x".getBytes()));
        assertTraversal(() -> fs.createFolder(p("etc/lightd-pwned-dir")));
        assertTraversal(() -> fs.copy(p("etc/passwd"), p("stolen")));
        assertThat(Path.of("/etc/lightd-pwned")).doesNotExist();
        assertThat(Path.of("/etc/lightd-pwned-dir")).doesNotExist();
        assertThat(root.resolve("stolen")).doesNotExist();
    }

    @Test
    void readingThroughALinkToAFileOutsideIsRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("abs"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("rel"), Path.of("../outside/secret.txt"));
        Files.createDirectories(root.resolve("deep/er"));
        Files.createSymbolicLink(root.resolve("deep/er/rel"), Path.of("../../../outside/secret.txt"));
        for (String link : List.of("abs", "rel", "deep/er/rel")) {
            assertTraversal(() -> fs.read(p(link)));
            assertTraversal(() -> fs.copy(p(link), p("copy-of-" + link.replace('/', '-'))));
        }
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("abs", "rel", "deep");
        }
    }

    @Test
    void writingThroughALinkToAFolderOutsideChangesNothingThere() throws IOException {
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("canary"), outside.resolve("secret.txt"));
        Map<String, String> before = snapshot(outside);
        assertTraversal(() -> fs.writeFile(p("out/secret.txt"), "pwned".getBytes()));
        assertTraversal(() -> fs.writeFile(p("out/new.txt"), "pwned".getBytes()));
        assertTraversal(() -> fs.writeFile(p("out/sub/deeper/new.txt"), "pwned".getBytes()));
        assertTraversal(() -> fs.writeFile(p("canary"), "pwned".getBytes()));
        assertTraversal(() -> fs.createFolder(p("out/made")));
        assertTraversal(() -> fs.move(p("out/secret.txt"), p("moved.txt")));
        assertTraversal(() -> fs.delete(p("out/secret.txt")));
        assertThat(snapshot(outside)).isEqualTo(before);
    }

    @Test
    void deletingALinkRemovesTheLinkNotWhatItPointsTo() throws IOException {
        Files.createSymbolicLink(root.resolve("out"), outside);
        fs.delete(p("out"));
        assertThat(Files.exists(root.resolve("out"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
    }

    @Test
    void linksThatStayInsideWork() throws IOException {
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/real.txt"), "inside");
        Files.createSymbolicLink(root.resolve("file-link"), Path.of("data/real.txt"));
        Files.createSymbolicLink(root.resolve("dir-link"), Path.of("data"));
        Files.createDirectories(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("sub/back"), Path.of("../data/real.txt"));

        assertThat(read(fs, p("file-link"))).isEqualTo("inside");
        assertThat(read(fs, p("dir-link/real.txt"))).isEqualTo("inside");
        assertThat(read(fs, p("sub/back"))).isEqualTo("inside");
        fs.writeFile(p("dir-link/new.txt"), "through the link".getBytes());
        assertThat(root.resolve("data/new.txt")).hasContent("through the link");
        assertThat(shown(fs.list(p("dir-link")))).containsExactly("new.txt file 16", "real.txt file 6");
    }

    @Test
    void anAbsoluteLinkIsRefusedEvenWhenItPointsInside() throws IOException {
        // RESOLVE_BENEATH judges the link, not where it lands: inside a container the volume has
        // another absolute path, so an absolute link never means the same thing on both sides
        Files.writeString(root.resolve("real.txt"), "inside");
        Files.createSymbolicLink(root.resolve("abs-inside"), root.resolve("real.txt"));
        assertTraversal(() -> fs.read(p("abs-inside")));
    }

    @Test
    void aListingShowsOutwardLinksAsEmptyFilesAndInwardOnesAsWhatTheyPointTo() throws IOException {
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("secret"), outside.resolve("secret.txt"));
        Files.writeString(root.resolve("real.txt"), "inside");
        Files.createSymbolicLink(root.resolve("good"), Path.of("real.txt"));
        Files.createDirectories(root.resolve("dir"));
        Files.createSymbolicLink(root.resolve("dir-link"), Path.of("dir"));
        assertThat(shown(fs.list(p("")))).containsExactly("dir directory 0", "dir-link directory 0", "etc file 0",
                "good file 6", "real.txt file 6", "secret file 0");
    }

    // --- depth and length --------------------------------------------------------------------------

    @Test
    void aPathOf128LevelsIsWrittenAndReadBackAnd129AreRefused() throws IOException {
        String folders = "d/".repeat(127);
        fs.writeFile(p(folders + "bottom.txt"), "bottom".getBytes());
        assertThat(root.resolve(folders + "bottom.txt")).hasContent("bottom");
        assertThat(read(fs, p(folders + "bottom.txt"))).isEqualTo("bottom");
        assertThat(shown(fs.list(p(folders)))).containsExactly("bottom.txt file 6");

        assertBadRequest(() -> fs.writeFile(p("d/" + folders + "bottom.txt"), "x".getBytes()),
                "Folder tree too deep: more than 128 levels");
        assertThat(root.resolve("d/" + folders + "bottom.txt")).doesNotExist();
    }

    @Test
    void namesAndPathsPastLinuxLimitsAreRefusedBeforeAnythingIsMade() {
        assertThat(p("n".repeat(255)).name()).hasSize(255);
        assertBadRequest(() -> p("dir/" + "n".repeat(256)), "Invalid path: a name is longer than 255 bytes");
        assertBadRequest(() -> p("ü".repeat(128)), "Invalid path: a name is longer than 255 bytes"); // 256 bytes
        assertBadRequest(() -> p("abcdefghi/".repeat(308)), "Invalid path: longer than 3072 bytes");
    }

    // --- atomic writes -------------------------------------------------------------------------------

    @Test
    void anOverwriteReplacesTheFileWholeAndAReaderOfTheOldOneKeepsIt() throws IOException {
        fs.writeFile(p("server.properties"), "motd=one".getBytes());
        try (InputStream old = fs.read(p("server.properties"))) {
            fs.writeFile(p("server.properties"), "motd=two, a longer text".getBytes());
            // renamed over, not rewritten in place: the open file is still the first version
            assertThat(new String(old.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("motd=one");
        }
        assertThat(root.resolve("server.properties")).hasContent("motd=two, a longer text");
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("server.properties");
        }
    }

    @Test
    void aWriteThatFailsHalfWayLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        fs.writeFile(p("world.dat"), "complete old world".getBytes());
        try (SafeDir dir = SafeDir.openRoot(root)) {
            assertThatThrownBy(() -> VolumeFs.writeAtomically(dir, "world.dat", DiskBudget.UNLIMITED, 0, "writing", out -> {
                out.write("half a new w".getBytes());
                throw new IOException("No space left on device");
            })).hasRootCauseMessage("No space left on device");
        }
        assertThat(root.resolve("world.dat")).hasContent("complete old world");
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("world.dat");
        }
    }

    @Test
    void aTemporaryFileOfAWriteInProgressIsNotListed() throws IOException {
        Files.writeString(root.resolve(VolumeFs.tempName()), "half");
        Files.writeString(root.resolve("done.txt"), "done");
        assertThat(shown(fs.list(p("")))).containsExactly("done.txt file 4");
    }
}
