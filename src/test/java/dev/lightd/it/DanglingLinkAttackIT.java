package dev.lightd.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The symlink shapes Wings' advisories list, made in the volume folder the way a game server
 * would: a dangling link pointing out (its target does not exist yet: writing through it would
 * create it), a chain of links ending outside, a folder link pointing out used to delete, copy or
 * move, and a question about a missing file behind such a link. Each is refused with the same
 * answer as any other escape, and nothing outside is created, changed or revealed.
 */
class DanglingLinkAttackIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withVolume();
    static final ApiClient api = daemon.api();
    static String vol;
    static Path root;
    static Outside outside;
    static Path keys;

    @BeforeAll
    static void links() throws Exception {
        vol = daemon.volume().prefix();
        root = daemon.volume().path();
        outside = new Outside();
        Files.createDirectories(outside.dir.resolve(".ssh"));
        keys = outside.dir.resolve(".ssh/authorized_keys"); // the shape of /root/.ssh/authorized_keys, never created
        Files.createSymbolicLink(root.resolve("x"), keys);
        Files.createSymbolicLink(root.resolve("x2"), Path.of("x"));
        Files.createSymbolicLink(root.resolve("x3"), Path.of("x2"));
        Files.createDirectories(root.resolve("deep/er"));
        Files.createSymbolicLink(root.resolve("deep/er/rel"),
                Path.of("../../../../../../../../../.." + keys));
        Files.createSymbolicLink(root.resolve("out"), outside.dir);
        Files.createSymbolicLink(root.resolve("chain"), Path.of("out"));
        Files.createSymbolicLink(root.resolve("gone"), outside.dir.resolve("no-such-dir"));
        Files.createSymbolicLink(root.resolve("canary"), outside.dir.resolve("canary.txt"));
        Files.writeString(root.resolve("inside.txt"), "inside");
        Files.createDirectories(root.resolve("packme"));
        Files.writeString(root.resolve("packme/authorized_keys"), "ssh-ed25519 AAAA pwned");
    }

    static String files(String suffix) {
        return "/volumes/" + vol + suffix;
    }

    static void assertOutsideUntouched(Map<String, String> before) {
        assertThat(outside.snapshot()).isEqualTo(before);
        assertThat(Files.exists(keys, LinkOption.NOFOLLOW_LINKS)).as("authorized_keys created").isFalse();
        assertThat(Files.exists(outside.dir.resolve("no-such-dir"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void writingThroughADanglingOutwardLinkOrAChainIsRefusedAndCreatesNothing() {
        var before = outside.snapshot();
        for (String p : new String[] {"x", "x2", "x3", "deep/er/rel", "gone/file", "chain/new.txt", "out/.ssh/authorized_keys"}) {
            Outside.assertTraversalRefused(api.post(files("/files"), Map.of("path", p, "content", "ssh-ed25519 AAAA pwned")),
                    "write " + p);
            Outside.assertTraversalRefused(api.post(files("/copy"), Map.of("source", "inside.txt", "destination", p)),
                    "copy onto " + p);
            Outside.assertTraversalRefused(api.post(files("/folders"), Map.of("path", p + "/dir")), "mkdir under " + p);
        }
        for (String p : new String[] {"gone", "x/sub", "chain/made"}) {
            Outside.assertTraversalRefused(api.post(files("/folders"), Map.of("path", p)), "mkdir " + p);
        }
        var packed = api.post(files("/compress"), Map.of("path", "packme", "format", "tar.gz", "output_name", "pack"));
        assertThat(packed.status()).as(packed.toString()).isEqualTo(200);
        for (String p : new String[] {"gone", "gone/deeper", "chain", "x", "x3"}) {
            Outside.assertTraversalRefused(api.post(files("/decompress"), Map.of("archive_path", "pack.tar.gz", "destination", p)),
                    "extract into " + p);
        }
        assertOutsideUntouched(before);
        for (String link : new String[] {"x", "x2", "x3", "gone"}) {
            assertThat(Files.isSymbolicLink(root.resolve(link))).as(link + " still the link it was").isTrue();
        }
    }

    @Test
    void extractingOntoADanglingLinkNeverWritesThroughIt() throws Exception {
        var before = outside.snapshot();
        var packed = api.post(files("/compress"), Map.of("path", "packme", "format", "tar.gz", "output_name", "pack2"));
        assertThat(packed.status()).as(packed.toString()).isEqualTo(200);
        Files.createDirectories(root.resolve("trap"));
        Files.createSymbolicLink(root.resolve("trap/authorized_keys"), keys);
        var res = api.post(files("/decompress"), Map.of("archive_path", "pack2.tar.gz", "destination", "trap"));
        // extraction only goes into an empty folder, so a planted link is never in an entry's way
        assertThat(res.status()).as(res.toString()).isEqualTo(400);
        assertThat(res.json().get("error").asText()).isEqualTo("Destination already exists and is not empty: trap");
        assertThat(Files.isSymbolicLink(root.resolve("trap/authorized_keys"))).isTrue();
        assertOutsideUntouched(before);
    }

    @Test
    void movingOntoADanglingLinkOrIntoAnOutwardFolderIsRefused() throws Exception {
        var before = outside.snapshot();
        Files.writeString(root.resolve("mover.txt"), "ssh-ed25519 AAAA pwned");
        for (String p : new String[] {"x", "x2", "x3", "deep/er/rel", "gone/moved", "out/moved", "chain/moved",
                "out/.ssh/authorized_keys"}) {
            Outside.assertTraversalRefused(api.post(files("/move"), Map.of("source", "mover.txt", "destination", p)),
                    "move onto " + p);
        }
        assertThat(root.resolve("mover.txt")).hasContent("ssh-ed25519 AAAA pwned");
        assertOutsideUntouched(before);
    }

    @Test
    void deletingCopyingAndMovingThroughAnOutwardFolderLinkAreRefused() {
        var before = outside.snapshot();
        for (String p : new String[] {"out/canary.txt", "out/sub", "out/sub/secret.txt", "chain/canary.txt",
                "chain/sub"}) {
            Outside.assertTraversalRefused(api.delete(files("/files?path=" + p)), "delete " + p);
            Outside.assertTraversalRefused(api.post(files("/copy"), Map.of("source", p, "destination", "stolen")),
                    "copy from " + p);
            Outside.assertTraversalRefused(api.post(files("/move"), Map.of("source", p, "destination", "stolen")),
                    "move from " + p);
            Outside.assertTraversalRefused(api.post(files("/move"), Map.of("source", p, "destination", "out/renamed")),
                    "move within " + p);
            Outside.assertTraversalRefused(api.post(files("/compress"), Map.of("path", p, "output_name", "loot")),
                    "compress " + p);
        }
        assertOutsideUntouched(before);
        assertThat(Files.exists(root.resolve("stolen"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(root.resolve("loot.tar.gz"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aMissingFileBehindAnOutwardLinkGetsTheSameAnswerAsAnExistingOne() {
        var before = outside.snapshot();
        // existing outside / missing outside, through each shape of link, and a plain escape
        String[][] pairs = {
                {"out/canary.txt", "out/missing.txt"},
                {"out/sub", "out/no-such-sub"},
                {"out/sub/secret.txt", "out/no-such-sub/secret.txt"},
                {"chain/canary.txt", "chain/missing.txt"},
                {"canary", "x"},
                {"canary", "x3"},
                {"out/canary.txt", "gone/anything"},
                {"out/canary.txt", "../../../../etc/passwd"},
        };
        for (String[] pair : pairs) {
            assertThat(answers(pair[1])).as(pair[1] + " vs " + pair[0]).isEqualTo(answers(pair[0]));
            for (ApiClient.Response res : answers(pair[1])) {
                Outside.assertTraversalRefused(res, pair[1]);
            }
        }
        assertOutsideUntouched(before);
    }

    /** Everything a client can ask about a path: its content, its listing, a copy, a delete, a folder under it. */
    static List<ApiClient.Response> answers(String p) {
        List<ApiClient.Response> out = new ArrayList<>();
        out.add(api.get(files("/files/content?path=" + p)));
        out.add(api.get(files("/files?path=" + p)));
        out.add(api.post(files("/copy"), Map.of("source", p, "destination", "probe")));
        out.add(api.post(files("/folders"), Map.of("path", p + "/probe")));
        out.add(api.post(files("/compress"), Map.of("path", p, "output_name", "probe")));
        return out.stream().map(r -> new ApiClient.Response(r.status(), r.body(), null)).toList();
    }
}
