package dev.lightd.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server's files on the mcctl face, called as mcctl-console's adapter and BFF routes call them
 * (paths rooted at "/", uploads as multipart "files" parts streamed on, downloads passed through
 * with their Content-Disposition), answered in the shapes the console reads. The body limit is
 * small (64 KiB) and the upload limit larger (1,000,000 bytes): uploads are streamed, so files
 * past the body limit are taken, and past the upload limit refused with nothing left behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McctlFilesIT {

    static final long UPLOAD_LIMIT = 1_000_000;

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults()
            .withConfig(cfg -> {
                cfg.withObjectProperty("server").put("max_body_bytes", 65_536);
                cfg.withObjectProperty("storage").put("max_upload_bytes", UPLOAD_LIMIT)
                        .put("max_upload_files", 3).put("max_read_bytes", 1000);
            })
            .withMcStandinImage().withMcctlKey("files");
    static ApiClient mc;
    static Path folder;
    static final String FILES = "/api/servers/it-files/files";

    @BeforeAll
    static void serverWithFiles() throws Exception {
        mc = daemon.mcctl(daemon.mcctlKey());
        var created = mc.post("/api/servers", Map.of("name", "it-files"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        folder = daemon.dataDir().resolve("servers/it-files");
        assertThat(folder).isDirectory();
        Files.writeString(folder.resolve("server.properties"), "motd=hello\n");
        Files.createDirectories(folder.resolve("plugins"));
        Files.writeString(folder.resolve(".hidden"), "not listed");
    }

    static String q(String path) {
        return "?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    static String iso(Path p) throws Exception {
        Instant t = Files.getLastModifiedTime(p).toInstant();
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC).format(t);
    }

    static void assertError(ApiClient.Response res, int status, String type, String message) {
        assertThat(res.status()).as(res.body()).isEqualTo(status);
        ObjectNode expected = (ObjectNode) json("{}");
        expected.put("error", type).put("message", message);
        assertThat(res.json()).isEqualTo(expected);
    }

    static String url(String path) {
        return "http://127.0.0.1:" + daemon.mcctlPort() + path;
    }

    static Map<String, String> key() {
        return Map.of("X-API-Key", daemon.mcctlKey());
    }

    static List<String> namesIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    @Order(1)
    void aFolderIsListedFoldersFirstWithSizesAndTimesAndDotFilesHidden() throws Exception {
        var res = mc.get(FILES + q("/"));
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        ObjectNode expected = (ObjectNode) json("{\"path\":\"/\",\"files\":[]}");
        expected.withArray("files").addObject().put("name", "plugins").put("type", "directory").put("size", 0)
                .put("modifiedAt", iso(folder.resolve("plugins")));
        expected.withArray("files").addObject().put("name", "server.properties").put("type", "file").put("size", 11)
                .put("modifiedAt", iso(folder.resolve("server.properties")));
        assertThat(res.json()).isEqualTo(expected);
        assertThat(mc.get(FILES).json().get("path").asText()).as("no path is the root").isEqualTo("/");
        assertThat(mc.get(FILES + q("/plugins")).json()).isEqualTo(json("{\"path\":\"/plugins\",\"files\":[]}"));

        assertError(mc.get(FILES + q("/nope")), 404, "NotFound", "Path '/nope' not found");
        assertError(mc.get(FILES + q("/server.properties")), 400, "ValidationError",
                "Path is not a directory: /server.properties");
        assertError(mc.get("/api/servers/nope/files" + q("/")), 404, "NotFound", "Server 'nope' not found");
    }

    @Test
    @Order(2)
    void aTextFileIsReadWithItsSizeAndTimeAndLargeOrBinaryFilesAreRefused() throws Exception {
        var res = mc.get(FILES + "/read" + q("/server.properties"));
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        ObjectNode expected = (ObjectNode) json("{}");
        expected.put("path", "/server.properties").put("content", "motd=hello\n").put("size", 11)
                .put("modifiedAt", iso(folder.resolve("server.properties")));
        assertThat(res.json()).isEqualTo(expected);

        Files.writeString(folder.resolve("big.txt"), "x".repeat(1001));
        assertError(mc.get(FILES + "/read" + q("/big.txt")), 400, "ValidationError",
                "File too large to open as text: big.txt is larger than 1000 bytes (storage.max_read_bytes);"
                        + " download it instead");
        Files.writeString(folder.resolve("limit.txt"), "y".repeat(1000));
        assertThat(mc.get(FILES + "/read" + q("/limit.txt")).json().get("size").asLong()).isEqualTo(1000);
        Files.write(folder.resolve("level.dat"), new byte[] {0x0a, 0x00, 0x00, 0x01});
        assertError(mc.get(FILES + "/read" + q("/level.dat")), 400, "ValidationError",
                "Binary file: level.dat is not UTF-8 text; download it instead");
        Files.write(folder.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9});
        assertError(mc.get(FILES + "/read" + q("/latin1.txt")), 400, "ValidationError",
                "Binary file: latin1.txt is not UTF-8 text; download it instead");
        assertError(mc.get(FILES + "/read" + q("/plugins")), 400, "ValidationError", "Is a folder: plugins");
        assertError(mc.get(FILES + "/read" + q("/missing.txt")), 404, "NotFound", "File not found: missing.txt");
        assertError(mc.get(FILES + "/read"), 400, "ValidationError", "path query parameter is required");
        assertError(mc.get("/api/servers/nope/files/read" + q("/a")), 404, "NotFound", "Server 'nope' not found");
        for (String name : List.of("big.txt", "limit.txt", "level.dat", "latin1.txt")) {
            Files.delete(folder.resolve(name));
        }
    }

    @Test
    @Order(3)
    void writeMkdirRenameAndDeleteChangeTheFolderAndAnswerAsTheConsoleReads() throws Exception {
        var wrote = mc.put(FILES + "/write" + q("/server.properties"), Map.of("content", "motd=changed\npvp=false\n"));
        assertThat(wrote.status()).as(wrote.body()).isEqualTo(200);
        ObjectNode expected = (ObjectNode) json("{\"success\":true}");
        expected.put("path", "/server.properties").put("size", 23)
                .put("modifiedAt", iso(folder.resolve("server.properties")));
        assertThat(wrote.json()).isEqualTo(expected);
        assertThat(folder.resolve("server.properties")).hasContent("motd=changed\npvp=false\n");
        assertError(mc.put(FILES + "/write" + q("/x.txt"), Map.of("text", "no content field")), 400,
                "ValidationError", "Missing required field 'content'");
        assertThat(folder.resolve("x.txt")).doesNotExist();
        assertError(mc.put(FILES + "/write" + q("/plugins"), Map.of("content", "x")), 400, "ValidationError",
                "Is a folder: plugins");

        assertThat(mc.post(FILES + "/mkdir" + q("/config/paper"), null).json())
                .isEqualTo(json("{\"success\":true,\"path\":\"/config/paper\"}"));
        assertThat(folder.resolve("config/paper")).isDirectory();
        assertError(mc.post(FILES + "/mkdir" + q("/config/paper"), null), 409, "Conflict",
                "Path '/config/paper' already exists");

        assertThat(mc.put(FILES + "/write" + q("/config/paper/a.yml"), Map.of("content", "a: 1\n")).status()).isEqualTo(200);
        var renamed = mc.post(FILES + "/rename", Map.of("oldPath", "/config/paper/a.yml", "newPath", "/config/b.yml"));
        assertThat(renamed.json()).isEqualTo(
                json("{\"success\":true,\"oldPath\":\"/config/paper/a.yml\",\"newPath\":\"/config/b.yml\"}"));
        assertThat(folder.resolve("config/b.yml")).hasContent("a: 1\n");
        assertThat(folder.resolve("config/paper/a.yml")).doesNotExist();
        assertError(mc.post(FILES + "/rename", Map.of("oldPath", "/config/b.yml", "newPath", "/server.properties")),
                409, "Conflict", "Path '/server.properties' already exists");
        assertError(mc.post(FILES + "/rename", Map.of("oldPath", "/gone.yml", "newPath", "/x.yml")),
                404, "NotFound", "Path '/gone.yml' not found");
        assertError(mc.post(FILES + "/rename", Map.of("oldPath", "/", "newPath", "/x")),
                400, "ValidationError", "Cannot rename root directory");
        assertThat(folder.resolve("config/b.yml")).hasContent("a: 1\n");

        assertThat(mc.delete(FILES + q("/config")).json()).isEqualTo(json("{\"success\":true,\"path\":\"/config\"}"));
        assertThat(folder.resolve("config")).doesNotExist();
        assertError(mc.delete(FILES + q("/config")), 404, "NotFound", "Path '/config' not found");
        assertError(mc.delete(FILES + q("/")), 400, "ValidationError", "Cannot delete root directory");
        assertError(mc.delete(FILES), 400, "ValidationError", "path query parameter is required");
        assertThat(folder.resolve("server.properties")).exists();
    }

    @Test
    @Order(4)
    void aViewerMayListAndReadButNotChange() {
        ApiClient viewer = mc.withHeader("X-User", "alice").withHeader("X-Role", "viewer");
        assertThat(viewer.get(FILES + q("/")).status()).isEqualTo(200);
        assertThat(viewer.get(FILES + "/read" + q("/server.properties")).status()).isEqualTo(200);
        assertError(viewer.put(FILES + "/write" + q("/server.properties"), Map.of("content", "x")), 403,
                "ForbiddenError", "Role 'viewer' may read but not act");
        assertError(viewer.delete(FILES + q("/server.properties")), 403, "ForbiddenError",
                "Role 'viewer' may read but not act");
        var upload = new Multipart().file("v.txt", "v".getBytes()).postChunked(url(FILES + "/upload" + q("/")),
                Map.of("X-API-Key", daemon.mcctlKey(), "X-User", "alice", "X-Role", "viewer"));
        assertError(upload, 403, "ForbiddenError", "Role 'viewer' may read but not act");
        assertThat(folder.resolve("v.txt")).doesNotExist();
        assertThat(folder.resolve("server.properties")).exists();
    }

    @Test
    @Order(5)
    void filesLargerThanTheBodyLimitAreUploadedStreamedUpToTheUploadLimit() throws Exception {
        byte[] jar = random(300_000, 1); // past max_body_bytes (64 KiB) on its own
        byte[] notes = "read me\n".getBytes();
        var res = new Multipart().field("comment", "ignored").file("plugin.jar", jar).file("notes.txt", notes)
                .postChunked(url(FILES + "/upload" + q("/plugins")), key());
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        assertThat(res.json()).isEqualTo(json(
                "{\"success\":true,\"path\":\"/plugins\",\"files\":[\"plugin.jar\",\"notes.txt\"]}"));
        assertThat(Files.readAllBytes(folder.resolve("plugins/plugin.jar"))).isEqualTo(jar);
        assertThat(folder.resolve("plugins/notes.txt")).hasContent("read me");

        // exactly the limit, with a Content-Length this time, replacing a file of the same name
        byte[] full = random((int) UPLOAD_LIMIT, 2);
        var sized = new Multipart().file("plugin.jar", full).postSized(url(FILES + "/upload" + q("/plugins")), key());
        assertThat(sized.status()).as(sized.body()).isEqualTo(200);
        assertThat(Files.readAllBytes(folder.resolve("plugins/plugin.jar"))).isEqualTo(full);
        assertThat(namesIn(folder.resolve("plugins"))).containsExactly("notes.txt", "plugin.jar");
    }

    @Test
    @Order(6)
    void anUploadPastItsLimitsIsRefusedWhileStreamingAndLeavesNothing() throws Exception {
        List<String> before = namesIn(folder.resolve("plugins"));
        byte[] oldJar = Files.readAllBytes(folder.resolve("plugins/plugin.jar"));
        String refused = "Upload refused: larger than 1000000 bytes (storage.max_upload_bytes)";

        // one byte too many, over two files: the first one (complete) is not kept either
        var chunked = new Multipart().file("small.txt", "small".getBytes()).file("plugin.jar", random(999_996, 3))
                .postChunked(url(FILES + "/upload" + q("/plugins")), key());
        assertError(chunked, 400, "ValidationError", refused);
        var sized = new Multipart().file("huge.bin", random((int) UPLOAD_LIMIT + 100_000, 4))
                .postSized(url(FILES + "/upload" + q("/plugins")), key());
        assertError(sized, 400, "ValidationError", refused);
        var tooMany = new Multipart().file("1.txt", "1".getBytes()).file("2.txt", "2".getBytes())
                .file("3.txt", "3".getBytes()).file("4.txt", "4".getBytes())
                .postChunked(url(FILES + "/upload" + q("/plugins")), key());
        assertError(tooMany, 400, "ValidationError", "Upload refused: more than 3 files (storage.max_upload_files)");

        assertThat(namesIn(folder.resolve("plugins"))).as("no file and no temporary file left").isEqualTo(before);
        assertThat(Files.readAllBytes(folder.resolve("plugins/plugin.jar"))).isEqualTo(oldJar);
        assertThat(mc.get(FILES + q("/plugins")).status()).as("the daemon still answers").isEqualTo(200);
    }

    @Test
    @Order(7)
    void badUploadsAreRefusedWithAClearMessage() throws Exception {
        List<String> before = namesIn(folder);
        assertError(new Multipart().file("a.txt", "a".getBytes()).postChunked(url(FILES + "/upload" + q("/nowhere")), key()),
                404, "NotFound", "Upload folder not found: nowhere");
        assertError(new Multipart().field("only", "a field").postChunked(url(FILES + "/upload" + q("/")), key()),
                400, "ValidationError", "No file in the upload: send multipart/form-data parts with a filename");
        assertError(mc.post(FILES + "/upload" + q("/"), Map.of("files", "not multipart")),
                400, "ValidationError", "Upload must be multipart/form-data");
        byte[] body = new Multipart().file("cut.txt", "abc".getBytes()).body();
        byte[] cut = Arrays.copyOf(body, body.length - 20);
        var res = Multipart.postBytes(url(FILES + "/upload" + q("/")), key(), cut);
        assertError(res, 400, "ValidationError", "Malformed multipart body: it ended before its closing boundary");
        var longHeader = new Multipart().rawFile("form-data; name=\"files\"; filename=\"" + "h".repeat(2000) + "\"",
                "a".getBytes()).postChunked(url(FILES + "/upload" + q("/")), key());
        assertThat(longHeader.status()).as(longHeader.body()).isEqualTo(400);
        assertThat(longHeader.json().get("message").asText()).startsWith("Malformed multipart body: ");
        assertError(new Multipart().file("a.txt", "a".getBytes()).postChunked(url("/api/servers/nope/files/upload" + q("/")), key()),
                404, "NotFound", "Server 'nope' not found");
        assertThat(namesIn(folder)).isEqualTo(before);
    }

    @Test
    @Order(8)
    void aDownloadIsTheFileStreamedWithItsNameAndLength() throws Exception {
        byte[] jar = Files.readAllBytes(folder.resolve("plugins/plugin.jar"));
        HttpResponse<byte[]> res = Multipart.download(url(FILES + "/download" + q("/plugins/plugin.jar")), key());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo(jar);
        assertThat(res.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"plugin.jar\"");
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(res.headers().firstValue("Content-Length")).hasValue(Integer.toString(jar.length));

        Files.writeString(folder.resolve("my \"world\";.txt"), "w");
        HttpResponse<byte[]> odd = Multipart.download(url(FILES + "/download" + q("/my \"world\";.txt")), key());
        assertThat(odd.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"my%20%22world%22%3B.txt\"");
        assertThat(new String(odd.body())).isEqualTo("w");

        HttpResponse<byte[]> missing = Multipart.download(url(FILES + "/download" + q("/nope.jar")), key());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(new String(missing.body()))).isEqualTo(
                json("{\"error\":\"NotFound\",\"message\":\"File not found: nope.jar\"}"));
        HttpResponse<byte[]> dir = Multipart.download(url(FILES + "/download" + q("/plugins")), key());
        assertThat(dir.statusCode()).isEqualTo(400);
        assertThat(json(new String(dir.body()))).isEqualTo(
                json("{\"error\":\"ValidationError\",\"message\":\"Is a folder: plugins\"}"));
        HttpResponse<byte[]> unknown = Multipart.download(url("/api/servers/nope/files/download" + q("/a")), key());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    @Order(9)
    void anUploadIsOnDiskWhileItsBodyIsStillComingAndVisibleOnlyWhenComplete() throws Exception {
        byte[] first = random(200_000, 9);
        byte[] rest = random(100_000, 10);
        PipedOutputStream body = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(body, 64 * 1024);
        var answer = Multipart.postStreaming(url(FILES + "/upload" + q("/plugins")), key(), in);
        body.write(("--" + Multipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"slow.bin\""
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(first);
        body.flush();
        // the daemon writes what it has read: most of the first part is in a temporary file, under its
        // own name, while the rest of the body is not even sent
        await().atMost(Duration.ofSeconds(60)).until(() -> temporaryBytes(folder.resolve("plugins")) >= 150_000);
        assertThat(folder.resolve("plugins/slow.bin")).doesNotExist();
        assertThat(answer).isNotDone();
        body.write(rest);
        body.write(("\r\n--" + Multipart.BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        body.close();
        var res = answer.get(60, TimeUnit.SECONDS);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        byte[] whole = new byte[first.length + rest.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(rest, 0, whole, first.length, rest.length);
        assertThat(Files.readAllBytes(folder.resolve("plugins/slow.bin"))).isEqualTo(whole);
        assertThat(temporaryBytes(folder.resolve("plugins"))).isZero();
    }

    /** Bytes in the daemon's temporary files in a folder: an upload in progress. */
    static long temporaryBytes(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".lightd-tmp-")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (java.io.IOException e) {
                    return 0; // renamed meanwhile
                }
            }).sum();
        }
    }
}
