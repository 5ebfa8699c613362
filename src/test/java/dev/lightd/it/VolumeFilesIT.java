package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import java.util.Random;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

class VolumeFilesIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults();
    static final ApiClient api = daemon.api();
    String id;
    String prefix;
    Path root;

    @BeforeEach
    void newVolume() {
        var res = api.post("/volumes", null);
        assertThat(res.status()).isEqualTo(201);
        id = res.json().get("volume_id").asText();
        prefix = id.substring(0, 8);
        root = Path.of(res.json().get("path").asText());
    }

    @Test
    void createVolumeAnswersTheSeedShape() {
        var res = api.post("/volumes", null);
        assertThat(res.status()).isEqualTo(201);
        JsonNode body = res.json();
        assertThat(body.properties()).extracting(Map.Entry::getKey).containsExactly("volume_id", "path");
        String volumeId = body.get("volume_id").asText();
        assertThat(volumeId).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(body.get("path").asText()).isEqualTo(daemon.dataDir().resolve("volumes").resolve(volumeId).toString());
        assertThat(Files.isDirectory(Path.of(body.get("path").asText()))).isTrue();
    }

    @Test
    void theSeedFileRoutes() throws Exception {
        var write = api.post("/volumes/" + prefix + "/files",
                Map.of("path", "config/server.properties", "content", "server-port=25565\nmax-players=20"));
        assertThat(write.status()).isEqualTo(200);
        assertThat(write.json()).isEqualTo(json(
                "{\"message\":\"File written successfully\",\"path\":\"config/server.properties\"}"));
        assertThat(Files.readString(root.resolve("config/server.properties"))).isEqualTo("server-port=25565\nmax-players=20");

        var folder = api.post("/volumes/" + prefix + "/folders", Map.of("path", "plugins/MyPlugin"));
        assertThat(folder.json()).isEqualTo(json("{\"message\":\"Folder created successfully\",\"path\":\"plugins/MyPlugin\"}"));
        assertThat(Files.isDirectory(root.resolve("plugins/MyPlugin"))).isTrue();

        api.post("/volumes/" + prefix + "/files", Map.of("path", "plugins/config.yml", "content", "x".repeat(1024)));
        var copy = api.post("/volumes/" + prefix + "/copy", Map.of("source", "plugins", "destination", "backup/plugins"));
        assertThat(copy.json()).isEqualTo(json("{\"message\":\"Copied successfully\",\"source\":\"plugins\","
                + "\"destination\":\"backup/plugins\"}"));
        assertThat(Files.readString(root.resolve("backup/plugins/config.yml"))).hasSize(1024);

        var list = api.get("/volumes/" + prefix + "/files?path=plugins");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).isEqualTo(json("{\"files\":[{\"name\":\"MyPlugin\",\"type\":\"directory\",\"size\":0},"
                + "{\"name\":\"config.yml\",\"type\":\"file\",\"size\":1024}]}"));

        var compress = api.post("/volumes/" + prefix + "/compress", Map.of("format", "tar.gz", "output_name", "backup"));
        assertThat(compress.status()).isEqualTo(200);
        assertThat(compress.json().get("message").asText()).isEqualTo("Compression successful");
        assertThat(compress.json().get("archive_path").asText()).isEqualTo("backup.tar.gz");
        assertThat(compress.json().get("size").asLong()).isEqualTo(Files.size(root.resolve("backup.tar.gz")));
        assertThat(tarGzNames(root.resolve("backup.tar.gz")))
                .contains("config/server.properties", "plugins/config.yml", "backup/plugins/config.yml")
                .doesNotContain("backup.tar.gz");

        var decompress = api.post("/volumes/" + prefix + "/decompress",
                Map.of("archive_path", "backup.tar.gz", "destination", "restored"));
        assertThat(decompress.json()).isEqualTo(json("{\"message\":\"Decompression successful\",\"destination\":\"restored\"}"));
        assertThat(Files.readString(root.resolve("restored/config/server.properties")))
                .isEqualTo("server-port=25565\nmax-players=20");
        assertThat(Files.isDirectory(root.resolve("restored/plugins/MyPlugin"))).isTrue();
    }

    @Test
    void zipAndZstdRoundTrip() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        Files.createDirectories(root.resolve("world/region"));
        Files.write(root.resolve("world/region/r.0.0.mca"), data);
        for (String format : List.of("zip", "tar.zst", "tar.gz")) {
            var res = api.post("/volumes/" + prefix + "/compress", Map.of("format", format, "output_name", "w", "path", "world"));
            assertThat(res.status()).as(format).isEqualTo(200);
            assertThat(res.json().get("archive_path").asText()).isEqualTo("w." + format);
            var out = api.post("/volumes/" + prefix + "/decompress", Map.of("archive_path", "w." + format, "destination", "out-" + format));
            assertThat(out.status()).as(out.body()).isEqualTo(200);
            assertThat(Files.readAllBytes(root.resolve("out-" + format + "/region/r.0.0.mca"))).isEqualTo(data);
        }
        assertThat(api.post("/volumes/" + prefix + "/compress", Map.of("format", "rar")).json())
                .isEqualTo(json("{\"error\":\"Invalid format: expected tar.gz, zip or tar.zst\"}"));
    }

    @Test
    void zipOfMoreFilesThanTheDaemonMayHaveOpen() throws Exception {
        // a world's thousands of region files must not each hold a descriptor until the zip is done
        Process limit = new ProcessBuilder("prlimit", "--pid", Long.toString(daemon.pid()), "--nofile=1024:1024")
                .inheritIO().start();
        assertThat(limit.waitFor()).isZero();
        int files = 1500;
        Path region = Files.createDirectories(root.resolve("big/region"));
        for (int i = 0; i < files; i++) {
            Files.writeString(region.resolve("r." + i + ".mca"), "chunk " + i);
        }
        var res = api.post("/volumes/" + prefix + "/compress", Map.of("format", "zip", "output_name", "big", "path", "big"));
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        try (var zip = new ZipFile(root.resolve("big.zip").toFile())) {
            assertThat(zip.stream().filter(e -> !e.isDirectory()).count()).isEqualTo(files);
            var entry = zip.getEntry("region/r.1499.mca");
            assertThat(new String(zip.getInputStream(entry).readAllBytes())).isEqualTo("chunk 1499");
        }
    }

    @Test
    void readMoveDeleteAndVolumeLifecycle() throws Exception {
        api.post("/volumes/" + prefix + "/files", Map.of("path", "a/b.txt", "content", "hello"));
        var read = api.get("/volumes/" + prefix + "/files/content?path=a/b.txt");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("hello");

        var move = api.post("/volumes/" + prefix + "/move", Map.of("source", "a/b.txt", "destination", "c/d.txt"));
        assertThat(move.json()).isEqualTo(json("{\"message\":\"Moved successfully\",\"source\":\"a/b.txt\",\"destination\":\"c/d.txt\"}"));
        assertThat(Files.exists(root.resolve("a/b.txt"))).isFalse();
        assertThat(Files.readString(root.resolve("c/d.txt"))).isEqualTo("hello");

        var del = api.delete("/volumes/" + prefix + "/files?path=c");
        assertThat(del.json()).isEqualTo(json("{\"message\":\"Deleted successfully\",\"path\":\"c\"}"));
        assertThat(Files.exists(root.resolve("c"))).isFalse();

        var missing = api.get("/volumes/" + prefix + "/files/content?path=nope.txt");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json()).isEqualTo(json("{\"error\":\"File not found: nope.txt\"}"));

        Files.writeString(root.resolve("f.txt"), "12345");
        var info = api.get("/volumes/" + id);
        assertThat(info.json().get("size").asLong()).isEqualTo(5);
        assertThat(api.get("/volumes").json().get("volumes").findValuesAsText("volume_id")).contains(id);

        var gone = api.delete("/volumes/" + prefix);
        assertThat(gone.json()).isEqualTo(json("{\"message\":\"Volume deleted successfully\"}"));
        assertThat(Files.exists(root)).isFalse();
        assertThat(api.get("/volumes/" + id).json()).isEqualTo(json("{\"error\":\"Volume not found\"}"));
    }

    @Test
    void overwriteIsAtomicAndMissingFieldsAreNamed() throws Exception {
        api.post("/volumes/" + prefix + "/files", Map.of("path", "s.txt", "content", "one"));
        api.post("/volumes/" + prefix + "/files", Map.of("path", "s.txt", "content", "two"));
        assertThat(Files.readString(root.resolve("s.txt"))).isEqualTo("two");
        try (var files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("s.txt");
        }
        assertThat(api.post("/volumes/" + prefix + "/files", Map.of("path", "x")).json())
                .isEqualTo(json("{\"error\":\"Missing required field 'content'\"}"));
        assertThat(api.post("/volumes/" + prefix + "/files", Map.of("path", 5, "content", "x")).json())
                .isEqualTo(json("{\"error\":\"Field 'path' must be a string\"}"));
    }

    @Test
    void fiftyConcurrentWritesToDifferentFilesAllLand() throws Exception {
        List<Callable<Integer>> writes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            writes.add(() -> api.post("/volumes/" + prefix + "/files",
                    Map.of("path", "many/file-" + n + ".txt", "content", "content " + n)).status());
        }
        try (var pool = Executors.newFixedThreadPool(50)) {
            for (var f : pool.invokeAll(writes)) {
                assertThat(f.get()).isEqualTo(200);
            }
        }
        for (int i = 0; i < 50; i++) {
            assertThat(Files.readString(root.resolve("many/file-" + i + ".txt"))).isEqualTo("content " + i);
        }
        assertThat(api.get("/volumes/" + prefix + "/files?path=many").json().get("files")).hasSize(50);
    }

    @Test
    void permissionProblemAnswersTheSeedText() throws Exception {
        Path locked = Files.createDirectories(root.resolve("locked"));
        // chattr +i makes the folder immutable even for root, as a read-only mount would
        assertThat(new ProcessBuilder("chattr", "+i", locked.toString()).start().waitFor()).isZero();
        try {
            var res = api.post("/volumes/" + prefix + "/files", Map.of("path", "locked/x.txt", "content", "x"));
            assertThat(res.status()).isEqualTo(500);
            assertThat(res.json()).isEqualTo(json("{\"error\":\"Failed to write file: permission denied\"}"));
        } finally {
            new ProcessBuilder("chattr", "-i", locked.toString()).start().waitFor();
        }
        assertThat(Files.exists(locked.resolve("x.txt"))).isFalse();
    }

    static List<String> tarGzNames(Path archive) throws Exception {
        List<String> names = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
             var tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
