package dev.lightd.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a game server can leave in its own volume to hurt the daemon: a FIFO (opening one for
 * reading waits for a writer: two such requests once froze every carrier thread), a folder tree
 * thousands of levels deep (recursive walks ran out of stack), and paths past the kernel's limits.
 * Each gets a 400 at once; the daemon keeps answering.
 */
class FifoAndDeepTreeAttackIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults();
    static final ApiClient api = daemon.api();
    String vol;
    Path root;

    @BeforeEach
    void newVolume() {
        var created = api.post("/volumes", null).json();
        vol = created.get("volume_id").asText();
        root = Path.of(created.get("path").asText());
    }

    @Test
    void aFifoIsRefusedAtOnceAndSkippedInsideFolders() throws Exception {
        Files.createDirectories(root.resolve("world"));
        Files.writeString(root.resolve("world/level.dat"), "level");
        for (Path fifo : new Path[] {root.resolve("pipe"), root.resolve("world/pipe")}) {
            Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
            assertThat(mk.waitFor()).isZero();
        }
        String notRegular = "{\"error\":\"Not a regular file: pipe\"}";
        for (int i = 0; i < 4; i++) { // more than the machine's cores: none may hang
            assertThat(api.get("/volumes/" + vol + "/files/content?path=pipe").json()).isEqualTo(json(notRegular));
        }
        assertThat(api.post("/volumes/" + vol + "/copy", Map.of("source", "pipe", "destination", "copied")).json())
                .isEqualTo(json(notRegular));
        assertThat(api.post("/volumes/" + vol + "/decompress", Map.of("archive_path", "pipe", "destination", "out")).json())
                .isEqualTo(json(notRegular));
        assertThat(root.resolve("copied")).doesNotExist();

        assertThat(api.post("/volumes/" + vol + "/copy", Map.of("source", "world", "destination", "world-copy")).status())
                .isEqualTo(200);
        assertThat(root.resolve("world-copy/level.dat")).hasContent("level");
        assertThat(root.resolve("world-copy/pipe")).doesNotExist();
        assertThat(api.post("/volumes/" + vol + "/compress", Map.of("format", "tar.gz", "output_name", "w", "path", "world"))
                .status()).isEqualTo(200);
        assertThat(api.get("/api/v1/public/ping").status()).isEqualTo(200);
    }

    @Test
    void aTreeDeeperThanTheLimitIsRefusedForCopyAndCompressAndStillDeletes() throws Exception {
        Path deep = root.resolve("deep");
        for (int i = 0; i < 400; i++) {
            deep = deep.resolve("d");
        }
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("bottom.txt"), "bottom");
        String tooDeep = "{\"error\":\"Folder tree too deep: more than 128 levels\"}";

        assertThat(api.post("/volumes/" + vol + "/copy", Map.of("source", "deep", "destination", "deep-copy")).json())
                .isEqualTo(json(tooDeep));
        assertThat(root.resolve("deep-copy")).as("a refused copy leaves nothing").doesNotExist();
        assertThat(api.post("/volumes/" + vol + "/compress", Map.of("format", "zip", "output_name", "deep", "path", "deep"))
                .json()).isEqualTo(json(tooDeep));
        assertThat(api.post("/volumes/" + vol + "/compress", Map.of("format", "tar.gz", "output_name", "deep", "path", "deep"))
                .json()).isEqualTo(json(tooDeep));

        var deleted = api.delete("/volumes/" + vol + "/files?path=deep");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(root.resolve("deep")).doesNotExist();
    }

    @Test
    void pathsPastTheKernelsLimitsAreRefusedBeforeAnythingIsMade() {
        var longPath = api.get("/volumes/" + vol + "/files?path=" + "a".repeat(5000));
        assertThat(longPath.json()).isEqualTo(json("{\"error\":\"Invalid path: longer than 3072 bytes\"}"));
        var longName = api.post("/volumes/" + vol + "/files", Map.of("path", "x".repeat(300), "content", "x"));
        assertThat(longName.json()).isEqualTo(json("{\"error\":\"Invalid path: a name is longer than 255 bytes\"}"));
        var tooDeep = api.post("/volumes/" + vol + "/folders", Map.of("path", "a/".repeat(1000)));
        assertThat(tooDeep.json()).isEqualTo(json("{\"error\":\"Folder tree too deep: more than 128 levels\"}"));
        assertThat(root.resolve("a")).doesNotExist();
    }
}
