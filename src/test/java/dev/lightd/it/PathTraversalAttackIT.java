package dev.lightd.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import java.util.ArrayList;

/** Paths that climb out of a volume by their text: "..", absolute, encoded dots, NUL. */
class PathTraversalAttackIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withVolume();
    static final ApiClient api = daemon.api();
    static String vol;
    static Outside outside;

    static final List<String> ATTACKS = List.of(
            "../escape.txt", "../../../../etc/passwd", "a/../../escape.txt", "/etc/passwd", "/tmp/escape.txt",
            "%2e%2e/escape.txt", "a/%2E%2E/%2e%2e/escape.txt", "..%2fescape.txt", "ok\u0000/../../escape",
            "a\\..\\..\\escape.txt");

    @BeforeAll
    static void volume() {
        vol = daemon.volume().prefix();
        outside = new Outside();
    }

    @Test
    void everyRouteRefusesEveryAttack() {
        var before = outside.snapshot();
        String relToOutside = "../../../../../.." + outside.dir + "/canary.txt";
        for (String attack : concat(ATTACKS, relToOutside)) {
            String q = URLEncoder.encode(attack, StandardCharsets.UTF_8);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/files", Map.of("path", attack, "content", "pwned")), "write " + attack);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/folders", Map.of("path", attack)), "mkdir " + attack);
            Outside.assertTraversalRefused(api.get("/volumes/" + vol + "/files?path=" + q), "list " + attack);
            Outside.assertTraversalRefused(api.get("/volumes/" + vol + "/files/content?path=" + q), "read " + attack);
            Outside.assertTraversalRefused(api.delete("/volumes/" + vol + "/files?path=" + q), "delete " + attack);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/copy", Map.of("source", attack, "destination", "x")), "copy from " + attack);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/copy", Map.of("source", ".", "destination", attack)), "copy to " + attack);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/move", Map.of("source", attack, "destination", "x")), "move " + attack);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/compress", Map.of("path", attack)), "compress " + attack);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/compress",
                    Map.of("format", "tar.gz", "output_name", attack)), "compress to " + attack);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/decompress", Map.of("archive_path", attack)), "decompress " + attack);
            Outside.assertTraversalRefused(api.post("/volumes/" + vol + "/decompress",
                    Map.of("archive_path", "a.tar.gz", "destination", attack)), "decompress into " + attack);
        }
        assertThat(outside.snapshot()).isEqualTo(before);
        assertThat(api.get("/volumes/" + vol + "/files").json()).isEqualTo(json("{\"files\":[]}"));
        assertThat(Path.of("/tmp/escape.txt")).doesNotExist();
    }

    private static List<String> concat(List<String> list, String more) {
        var out = new ArrayList<>(list);
        out.add(more);
        return out;
    }
}
