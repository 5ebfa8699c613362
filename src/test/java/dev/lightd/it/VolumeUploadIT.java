package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streamed upload and download of a volume's files on the Lightd face: past server.max_body_bytes
 * (64 KiB here) up to storage.max_upload_bytes (500,000), refused beyond with nothing left, in the
 * face's error format, with files:write and files:read tokens; every other route keeps the body limit.
 */
class VolumeUploadIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults()
            .withConfig(cfg -> {
                cfg.withObjectProperty("server").put("max_body_bytes", 65_536);
                cfg.withObjectProperty("storage").put("max_upload_bytes", 500_000);
            })
            .withVolume();
    static final ApiClient api = daemon.api();
    static String vol;
    static Path root;

    @BeforeAll
    static void volume() throws Exception {
        vol = daemon.volume().prefix();
        root = daemon.volume().path();
        Files.createDirectories(root.resolve("mods"));
    }

    static String url(String path) {
        return daemon.baseUrl() + "/volumes/" + vol + path;
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static String token(String scope) {
        var res = api.post("/auth/tokens", Map.of("ttl", "5m", "scopes", List.of(scope)));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.json().get("token").asText();
    }

    @Test
    void aFilePastTheBodyLimitIsUploadedStreamedAndDownloadedBackWhole() throws Exception {
        byte[] jar = random(200_000, 7);
        var res = new Multipart().file("big.jar", jar).postChunked(url("/files/upload?path=mods"), bearer(daemon.token()));
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        assertThat(res.json()).isEqualTo(json(
                "{\"message\":\"Files uploaded successfully\",\"path\":\"mods\",\"files\":[\"big.jar\"]}"));
        assertThat(Files.readAllBytes(root.resolve("mods/big.jar"))).isEqualTo(jar);

        HttpResponse<byte[]> down = Multipart.download(url("/files/download?path=mods/big.jar"), bearer(daemon.token()));
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(down.body()).isEqualTo(jar);
        assertThat(down.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"big.jar\"");
        assertThat(down.headers().firstValue("Content-Length")).hasValue("200000");

        // both are in the activity log, with the folder or file the query named
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode activity = api.get("/activity?action=file.upload,file.download&sort=timestamp:asc").json()
                    .get("activity");
            assertThat(activity.findValuesAsText("action")).containsSubsequence("file.upload", "file.download");
            assertThat(activity.findValuesAsText("target_name")).containsOnly(daemon.volume().prefix());
            assertThat(activity.findValues("details").stream().map(d -> d.path("path").asText()))
                    .containsSubsequence("mods", "mods/big.jar");
        });
    }

    @Test
    void pastTheUploadLimitItIsRefusedAndNothingIsLeft() throws Exception {
        List<String> before = names(root.resolve("mods"));
        var res = new Multipart().file("first.txt", "first".getBytes()).file("huge.bin", random(500_000, 8))
                .postChunked(url("/files/upload?path=mods"), bearer(daemon.token()));
        assertThat(res.status()).as(res.body()).isEqualTo(400);
        assertThat(res.json()).isEqualTo(json(
                "{\"error\":\"Upload refused: larger than 500000 bytes (storage.max_upload_bytes)\"}"));
        assertThat(names(root.resolve("mods"))).isEqualTo(before);
        assertThat(api.get("/volumes/" + vol + "/files?path=mods").status()).isEqualTo(200);
    }

    @Test
    void everyOtherRouteKeepsTheBodyLimitForAStreamedBody() {
        String big = "{\"path\":\"x.txt\",\"content\":\"" + "a".repeat(100_000) + "\"}";
        HttpRequest req = HttpRequest.newBuilder(URI.create(url("/files")))
                .header("Authorization", "Bearer " + daemon.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build();
        try {
            HttpResponse<String> res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(413);
            assertThat(json(res.body())).isEqualTo(json("{\"error\":\"Request body too large\"}"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(Files.exists(root.resolve("x.txt"))).isFalse();
    }

    @Test
    void pathsAreCheckedAsForEveryFileRoute() {
        var up = new Multipart().file("a.txt", "a".getBytes()).postChunked(url("/files/upload?path=../.."), bearer(daemon.token()));
        assertThat(up.status()).isEqualTo(400);
        assertThat(up.json()).isEqualTo(json("{\"error\":\"Invalid path: path traversal detected\"}"));
        HttpResponse<byte[]> down = Multipart.download(url("/files/download?path=../../../../etc/passwd"), bearer(daemon.token()));
        assertThat(down.statusCode()).isEqualTo(400);
        assertThat(json(new String(down.body()))).isEqualTo(json("{\"error\":\"Invalid path: path traversal detected\"}"));
        var missing = new Multipart().file("a.txt", "a".getBytes()).postChunked(url("/files/upload?path=nope"), bearer(daemon.token()));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json()).isEqualTo(json("{\"error\":\"Upload folder not found: nope\"}"));
    }

    @Test
    void uploadNeedsFilesWriteAndDownloadFilesRead() throws Exception {
        String reader = token("files:read");
        String writer = token("files:write");
        JsonNode notAllowed = json("{\"error\":\"Token not allowed for this route\"}");

        var refused = new Multipart().file("r.txt", "r".getBytes()).postChunked(url("/files/upload?path=mods"), bearer(reader));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json()).isEqualTo(notAllowed);
        assertThat(Files.exists(root.resolve("mods/r.txt"))).isFalse();
        var written = new Multipart().file("w.txt", "w".getBytes()).postChunked(url("/files/upload?path=mods"), bearer(writer));
        assertThat(written.status()).as(written.body()).isEqualTo(200);
        assertThat(root.resolve("mods/w.txt")).hasContent("w");

        assertThat(Multipart.download(url("/files/download?path=mods/w.txt"), bearer(reader)).body()).isEqualTo("w".getBytes());
        HttpResponse<byte[]> writerDown = Multipart.download(url("/files/download?path=mods/w.txt"), bearer(writer));
        assertThat(writerDown.statusCode()).isEqualTo(403);
    }
}
