package dev.lightd.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file routes of an mcctl server attacked as Wings' and mcctl-api's path advisories describe:
 * "..", absolute paths, percent-encoded and backslash variants, and links the game server makes in
 * its own folder (its /data): a folder link pointing out, a file link pointing out, a dangling link
 * pointing at a file that does not exist yet, and renames out of the folder. Each is refused with
 * the face's traversal answer (or, for a path that is only absolute-looking, answered from inside
 * the server's folder), and nothing outside is created, changed or revealed.
 */
class McctlFilesAttackIT {

    static final String TRAVERSAL = "{\"error\":\"ValidationError\",\"message\":\"Invalid path: path traversal detected\"}";

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withMcStandinImage().withMcctlKey();
    static ApiClient mc;
    static Path folder;
    static Outside outside;
    static Path keys;
    static final String FILES = "/api/servers/it-attack/files";

    @BeforeAll
    static void serverWithPlantedLinks() throws Exception {
        mc = daemon.mcctl(daemon.mcctlKey());
        var created = mc.post("/api/servers", Map.of("name", "it-attack"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        folder = daemon.dataDir().resolve("servers/it-attack");
        outside = new Outside();
        Files.createDirectories(outside.dir.resolve(".ssh"));
        keys = outside.dir.resolve(".ssh/authorized_keys"); // never created
        Files.writeString(folder.resolve("server.properties"), "motd=inside\n");
        Files.createDirectories(folder.resolve("plugins"));
        // what a game server can make in its /data: links resolved on the host, where they point out
        Files.createSymbolicLink(folder.resolve("out"), outside.dir);
        Files.createSymbolicLink(folder.resolve("rel-out"), Path.of("../".repeat(12) + outside.dir.toString().substring(1)));
        Files.createSymbolicLink(folder.resolve("canary"), outside.dir.resolve("canary.txt"));
        Files.createSymbolicLink(folder.resolve("keys"), keys);
        Files.createSymbolicLink(folder.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(folder.resolve("plugins/gone"), outside.dir.resolve("no-such-dir"));
    }

    static String q(String path) {
        return "?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    static void refused(ApiClient.Response res, String what) {
        assertThat(res.status()).as(what + " -> " + res.body()).isEqualTo(400);
        assertThat(res.json()).as(what).isEqualTo(json(TRAVERSAL));
    }

    static String url(String path) {
        return "http://127.0.0.1:" + daemon.mcctlPort() + path;
    }

    static Map<String, String> key() {
        return Map.of("X-API-Key", daemon.mcctlKey());
    }

    void assertNothingChanged(Map<String, String> before) {
        assertThat(outside.snapshot()).isEqualTo(before);
        assertThat(Files.exists(keys, LinkOption.NOFOLLOW_LINKS)).as("authorized_keys created").isFalse();
        assertThat(Files.exists(outside.dir.resolve("no-such-dir"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        try (Stream<Path> walk = Files.walk(folder)) {
            assertThat(walk.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .noneMatch(n -> n.startsWith(".lightd-tmp-"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every way to read, list or download a path. */
    static List<ApiClient.Response> reads(String p) {
        List<ApiClient.Response> out = new ArrayList<>();
        out.add(mc.get(FILES + "/read" + q(p)));
        out.add(mc.get(FILES + q(p)));
        HttpResponse<byte[]> d = Multipart.download(url(FILES + "/download" + q(p)), key());
        out.add(new ApiClient.Response(d.statusCode(), new String(d.body(), StandardCharsets.UTF_8), null));
        return out;
    }

    @Test
    void dotDotAndItsEncodedAndBackslashVariantsAreRefused() {
        var before = outside.snapshot();
        for (String p : List.of("../../../../etc/passwd", "/../../../../etc/passwd", "plugins/../../../etc/passwd",
                "%2e%2e/%2e%2e/etc/passwd", "..%2f..%2fetc%2fpasswd", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
                "..\\..\\etc\\passwd", "plugins/..", "..", "//etc/passwd", "/\0/etc/passwd")) {
            for (ApiClient.Response res : reads(p)) {
                refused(res, "read " + p);
            }
            refused(mc.put(FILES + "/write" + q(p), Map.of("content", "pwned")), "write " + p);
            refused(mc.post(FILES + "/mkdir" + q(p + "/x"), null), "mkdir " + p);
            refused(mc.delete(FILES + q(p)), "delete " + p);
            refused(mc.post(FILES + "/rename", Map.of("oldPath", p, "newPath", "/stolen")), "rename from " + p);
            refused(mc.post(FILES + "/rename", Map.of("oldPath", "/server.properties", "newPath", p)), "rename to " + p);
            refused(new Multipart().file("x.txt", "pwned".getBytes()).postChunked(url(FILES + "/upload" + q(p)), key()),
                    "upload into " + p);
        }
        // the query string itself encoded twice: decoded once by HTTP, the rest is checked again
        refused(mc.get(FILES + "/read?path=%252e%252e%252f%252e%252e%252fetc%252fpasswd"), "double-encoded");
        assertThat(folder.resolve("server.properties")).hasContent("motd=inside\n");
        assertThat(Files.exists(folder.resolve("stolen"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertNothingChanged(before);
    }

    @Test
    void anAbsolutePathIsTheServersFolderNeverTheHosts() {
        // the console roots its paths at "/", the server's folder: /etc/passwd is a file in it, missing
        for (ApiClient.Response res : reads("/etc/passwd")) {
            assertThat(res.status()).as(res.body()).isIn(400, 404);
            assertThat(res.body()).doesNotContain("root:");
        }
        assertThat(mc.get(FILES + "/read" + q("/etc/passwd")).status()).as("through the etc link").isEqualTo(400);
        assertThat(mc.get(FILES + "/read" + q("/proc/self/environ")).json())
                .isEqualTo(json("{\"error\":\"NotFound\",\"message\":\"File not found: proc/self/environ\"}"));
        assertThat(mc.get(FILES + "/read" + q("/server.properties")).json().get("content").asText())
                .isEqualTo("motd=inside\n");
    }

    @Test
    void linksTheServerMadePointingOutAreRefusedForEveryRoute() {
        var before = outside.snapshot();
        for (String p : List.of("/out/canary.txt", "/out/sub/secret.txt", "/out/sub", "/out", "/rel-out/canary.txt",
                "/canary", "/etc/passwd", "/etc", "/keys", "/plugins/gone", "/plugins/gone/file")) {
            for (ApiClient.Response res : reads(p)) {
                refused(res, "read " + p);
                assertThat(res.body()).doesNotContain("untouched", "secret", "root:");
            }
            if (!p.equals("/out") && !p.equals("/etc")) {
                refused(mc.put(FILES + "/write" + q(p), Map.of("content", "ssh-ed25519 AAAA pwned")), "write " + p);
            }
            refused(mc.post(FILES + "/mkdir" + q(p + "/made"), null), "mkdir under " + p);
            refused(mc.post(FILES + "/rename", Map.of("oldPath", "/server.properties", "newPath", p + "/moved")),
                    "rename into " + p);
            refused(new Multipart().file("authorized_keys", "ssh-ed25519 AAAA pwned".getBytes())
                    .postChunked(url(FILES + "/upload" + q(p)), key()), "upload into " + p);
        }
        for (String p : List.of("/out/canary.txt", "/out/sub", "/rel-out/sub/secret.txt", "/etc/hostname")) {
            refused(mc.delete(FILES + q(p)), "delete " + p);
            refused(mc.post(FILES + "/rename", Map.of("oldPath", p, "newPath", "/stolen")), "rename from " + p);
        }
        assertThat(folder.resolve("server.properties")).hasContent("motd=inside\n");
        assertNothingChanged(before);
    }

    @Test
    void aDanglingOutwardLinkIsNeverWrittenThroughByWriteOrUpload() {
        var before = outside.snapshot();
        refused(mc.put(FILES + "/write" + q("/keys"), Map.of("content", "ssh-ed25519 AAAA pwned")), "write keys");
        refused(new Multipart().file("keys", "ssh-ed25519 AAAA pwned".getBytes())
                .postChunked(url(FILES + "/upload" + q("/")), key()), "upload named keys");
        refused(new Multipart().file("gone", "x".getBytes())
                .postChunked(url(FILES + "/upload" + q("/plugins")), key()), "upload named gone");
        // a first good file in the same upload is not kept either
        refused(new Multipart().file("fine.txt", "fine".getBytes()).file("keys", "pwned".getBytes())
                .postChunked(url(FILES + "/upload" + q("/")), key()), "upload with keys second");
        assertThat(Files.exists(folder.resolve("fine.txt"))).isFalse();
        assertThat(Files.isSymbolicLink(folder.resolve("keys"))).isTrue();
        assertThat(Files.isSymbolicLink(folder.resolve("plugins/gone"))).isTrue();
        assertNothingChanged(before);
    }

    @Test
    void anUploadedFileNameCannotCarryAPath() {
        var before = outside.snapshot();
        for (String name : List.of("../../../../escaped.txt", "..", "plugins/inner.txt", "..\\escaped.txt")) {
            var res = new Multipart().file(name, "pwned".getBytes()).postChunked(url(FILES + "/upload" + q("/")), key());
            assertThat(res.status()).as(name + " -> " + res.body()).isEqualTo(400);
            assertThat(res.json().get("message").asText()).startsWith("Invalid file name");
        }
        var star = new Multipart().rawFile("form-data; name=\"files\"; filename*=UTF-8''..%2F..%2Fescaped.txt",
                "pwned".getBytes()).postChunked(url(FILES + "/upload" + q("/")), key());
        assertThat(star.status()).as(star.body()).isEqualTo(400);
        assertThat(Files.exists(folder.resolve("plugins/inner.txt"))).isFalse();
        assertThat(Files.exists(folder.resolve("escaped.txt"))).isFalse();
        assertThat(Files.exists(folder.getParent().resolve("escaped.txt"))).isFalse();
        assertNothingChanged(before);
    }

    @Test
    void renamingOutOfTheFolderIsRefusedAndRenamingALinkMovesOnlyTheLink() throws Exception {
        var before = outside.snapshot();
        for (String to : List.of("../escaped.txt", "/../../escaped.txt", "/out/escaped.txt", "/rel-out/escaped.txt",
                "%2e%2e/escaped.txt", "/plugins/gone/escaped.txt")) {
            refused(mc.post(FILES + "/rename", Map.of("oldPath", "/server.properties", "newPath", to)), "rename to " + to);
        }
        assertThat(folder.resolve("server.properties")).hasContent("motd=inside\n");
        assertThat(Files.exists(folder.getParent().resolve("escaped.txt"))).isFalse();

        // the link itself is the server's own entry: renaming or deleting it leaves its target alone
        Files.createSymbolicLink(folder.resolve("temp-link"), outside.dir);
        assertThat(mc.post(FILES + "/rename", Map.of("oldPath", "/temp-link", "newPath", "/moved-link")).status())
                .isEqualTo(200);
        assertThat(Files.readSymbolicLink(folder.resolve("moved-link"))).isEqualTo(outside.dir);
        assertThat(mc.delete(FILES + q("/moved-link")).json())
                .isEqualTo(json("{\"success\":true,\"path\":\"/moved-link\"}"));
        assertThat(Files.exists(folder.resolve("moved-link"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(outside.dir.resolve("canary.txt")).hasContent("untouched");
        assertNothingChanged(before);
    }
}
