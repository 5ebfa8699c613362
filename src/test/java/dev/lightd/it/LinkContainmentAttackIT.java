package dev.lightd.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import java.nio.file.LinkOption;

/**
 * Symlinks inside a volume (a game server can make them) that point outside: to /etc, to a folder
 * elsewhere, to a file, deep in a path. Nothing may be read, written, listed or archived through them.
 */
class LinkContainmentAttackIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withVolume();
    static final ApiClient api = daemon.api();
    static String vol;
    static Path root;
    static Outside outside;

    @BeforeAll
    static void links() throws Exception {
        vol = daemon.volume().prefix();
        root = daemon.volume().path();
        outside = new Outside();
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("out"), outside.dir);
        Files.createSymbolicLink(root.resolve("canary"), outside.dir.resolve("canary.txt"));
        Files.createDirectories(root.resolve("deep/er"));
        Files.createSymbolicLink(root.resolve("deep/er/up"), Path.of("../../../" + root.relativize(root)));
        Files.createSymbolicLink(root.resolve("deep/er/rel"), Path.of("../../../../../../../../" + outside.dir));
        Files.writeString(root.resolve("inside.txt"), "inside");
        Files.createSymbolicLink(root.resolve("good-link"), Path.of("inside.txt"));
    }

    @Test
    void writeReadListCopyMoveThroughOutwardLinksAreRefused() {
        var before = outside.snapshot();
        for (String p : new String[] {"etc/passwd", "out/canary.txt", "out/new.txt", "canary", "deep/er/rel/canary.txt",
                "out/sub/secret.txt", "deep/er/rel/sub/x"}) {
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/files", Map.of("path", p, "content", "pwned")), "write " + p);
            Outside.assertTraversalRefused(api.get("/volumes/" + vol + "/files/content?path=" + p), "read " + p);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/copy", Map.of("source", p, "destination", "stolen")), "copy " + p);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/copy", Map.of("source", "inside.txt", "destination", p)), "copy onto " + p);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/folders", Map.of("path", p + "/dir")), "mkdir " + p);
        }
        for (String p : new String[] {"etc", "out", "deep/er/rel", "out/sub"}) {
            Outside.assertTraversalRefused(api.get("/volumes/" + vol + "/files?path=" + p), "list " + p);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/compress", Map.of("path", p, "output_name", "loot")), "compress " + p);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/move", Map.of("source", "inside.txt", "destination", p + "/x")), "move into " + p);
            Outside.assertTraversalRefused(api.delete("/volumes/" + vol + "/files?path=" + p + "/canary.txt"), "delete through " + p);
        }
        assertThat(outside.snapshot()).isEqualTo(before);
        assertThat(Files.exists(root.resolve("stolen"))).isFalse();
    }

    @Test
    void linksInsideTheVolumeStillWorkAndLinksAreListedNotFollowedOut() {
        assertThat(api.get("/volumes/" + vol + "/files/content?path=good-link").body()).isEqualTo("inside");
        var list = api.get("/volumes/" + vol + "/files").json().get("files");
        assertThat(list.toString()).contains("{\"name\":\"etc\",\"type\":\"file\",\"size\":0}")
                .contains("{\"name\":\"good-link\",\"type\":\"file\",\"size\":6}");
    }

    @Test
    void deletingALinkRemovesTheLinkNotItsTarget() throws Exception {
        Files.createSymbolicLink(root.resolve("doomed"), outside.dir);
        var before = outside.snapshot();
        var res = api.delete("/volumes/" + vol + "/files?path=doomed");
        assertThat(res.status()).isEqualTo(200);
        assertThat(Files.exists(root.resolve("doomed"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(outside.snapshot()).isEqualTo(before);
    }

    @Test
    void compressingTheWholeVolumeStoresNoOutsideContent() throws Exception {
        var res = api.post("/volumes/" + vol + "/compress", Map.of("format", "tar.gz", "output_name", "all"));
        assertThat(res.status()).isEqualTo(200);
        assertThat(VolumeFilesIT.tarGzNames(root.resolve("all.tar.gz")))
                .contains("inside.txt", "good-link")
                .noneMatch(n -> n.contains("passwd") || n.contains("canary.txt") || n.contains("secret"));
    }

    @Test
    void decompressingIntoAnOutwardLinkIsRefused() {
        var before = outside.snapshot();
        api.post("/volumes/" + vol + "/compress", Map.of("format", "tar.gz", "output_name", "pack", "path", "deep"));
        for (String dest : new String[] {"out", "etc", "out/sub", "deep/er/rel"}) {
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/decompress", Map.of("archive_path", "pack.tar.gz", "destination", dest)),
                    "decompress into " + dest);
        }
        Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/decompress", Map.of("archive_path", "out/canary.txt", "destination", "x")),
                "decompress an archive outside");
        assertThat(outside.snapshot()).isEqualTo(before);
    }
}
