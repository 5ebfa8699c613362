package dev.lightd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests no client would send (found by an adversarial sweep of both faces): JSON nested past the
 * parser's limits, bad chunked framing, a bad percent-escape in a path, an asterisk request line,
 * an old WebSocket version, two JSON values in one body, an unknown charset, a token differing in case
 * on a kept-alive connection (bench/lib/Adversarial.java found the last two). Each gets a 4xx in the face's JSON error
 * form, names no Java class, and leaves one log line. Also: temp files a kill -9 left in a volume
 * are cleaned at start, and nothing else in the volume is touched.
 */
class MalformedRequestAttackIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withVolume().withMcctlKey().withTestImages();

    record Raw(int status, Map<String, String> headers, String body) {
        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /** Writes the bytes as they are on a fresh socket and reads the answer until the server closes. */
    static Raw raw(int port, String request) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            return parse(new String(all, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Raw parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("a full answer: " + text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            StringBuilder plain = new StringBuilder();
            int at = 0;
            while (true) {
                int eol = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, eol).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                plain.append(body, eol + 2, eol + 2 + size);
                at = eol + 2 + size + 2;
            }
            body = plain.toString();
        } else if (headers.containsKey("content-length")) {
            body = body.substring(0, Integer.parseInt(headers.get("content-length")));
        }
        return new Raw(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    static String lightdAuth() {
        return "Authorization: Bearer " + daemon.token() + "\r\n";
    }

    static String mcctlAuth() {
        return "X-API-Key: " + daemon.mcctlKey() + "\r\n";
    }

    static String post(String path, String auth, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + auth + "Content-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n" + body;
    }

    static String chunked(String path, String auth, String framing) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + auth + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + framing;
    }

    /** Sends it, checks the answer and that the daemon logged one new line naming the refusal. */
    static void refused(int port, String request, int status, String body, String logged, String what) {
        int logBefore = daemon.log().length();
        Raw res = raw(port, request);
        assertThat(res.status()).as(what + " -> " + res).isEqualTo(status);
        assertThat(res.contentType()).as(what + " content type").startsWith("application/json");
        assertThat(ApiClient.json(res.body())).as(what + " body").isEqualTo(ApiClient.json(body));
        assertThat(res.body()).as(what).doesNotContainPattern("(com|org|java|io)\\.[a-z]+\\.")
                .doesNotContain("Exception").doesNotContain("Feature");
        String added = awaitLog(logBefore, logged);
        assertThat(added.lines().filter(l -> l.contains(logged)).count()).as(what + " log lines: " + added).isEqualTo(1);
    }

    static String awaitLog(int from, String needle) {
        long until = System.nanoTime() + 5_000_000_000L;
        String added = "";
        while (System.nanoTime() < until) {
            added = daemon.log().substring(from);
            if (added.contains(needle)) {
                try {
                    Thread.sleep(200); // a second line, if any, has time to show
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return daemon.log().substring(from);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return added;
    }

    static final String DEEP = "[".repeat(1_001) + "]".repeat(1_001);
    static final String LONG_NUMBER = "{\"name\":" + "9".repeat(1_001) + "}";

    @Test
    void jsonPastTheParserLimitsIsA400OnBothFaces() {
        refused(daemon.port(), post("/network/ports", lightdAuth(), DEEP), 400,
                "{\"error\":\"Invalid JSON body: nested more than 1000 deep\"}", "event=bad_json", "lightd deep");
        refused(daemon.port(), post("/network/ports", lightdAuth(), LONG_NUMBER), 400,
                "{\"error\":\"Invalid JSON body: a number longer than 1000 digits\"}", "event=bad_json", "lightd number");
        refused(daemon.mcctlPort(), post("/api/servers", mcctlAuth(), DEEP), 400,
                "{\"error\":\"ValidationError\",\"message\":\"Invalid JSON body: nested more than 1000 deep\"}",
                "event=bad_json", "mcctl deep");
        refused(daemon.mcctlPort(), post("/api/worlds", mcctlAuth(), LONG_NUMBER), 400,
                "{\"error\":\"ValidationError\",\"message\":\"Invalid JSON body: a number longer than 1000 digits\"}",
                "event=bad_json", "mcctl number");
    }

    @Test
    void twoJsonValuesInOneBodyNameNoClass() {
        refused(daemon.port(), post("/network/ports", lightdAuth(), "{\"a\":1}{\"b\":2}"), 400,
                "{\"error\":\"Invalid JSON body: more than one JSON value\"}", "event=bad_json", "lightd trailing");
        refused(daemon.mcctlPort(), post("/api/servers", mcctlAuth(), "{\"a\":1}{\"b\":2}"), 400,
                "{\"error\":\"ValidationError\",\"message\":\"Invalid JSON body: more than one JSON value\"}",
                "event=bad_json", "mcctl trailing");
    }

    @Test
    void badChunkedFramingIsA400OnBothFaces() {
        for (String framing : new String[] {"zz\r\n{}\r\n0\r\n\r\n", "ffffffffffffffff\r\n{}\r\n0\r\n\r\n", "10\r\n{\"a\":"}) {
            refused(daemon.port(), chunked("/network/ports", lightdAuth(), framing), 400,
                    "{\"error\":\"Bad request: malformed request body\"}", "event=bad_body", "lightd " + framing);
            refused(daemon.mcctlPort(), chunked("/api/servers", mcctlAuth(), framing), 400,
                    "{\"error\":\"ValidationError\",\"message\":\"Bad request: malformed request body\"}",
                    "event=bad_body", "mcctl " + framing);
        }
    }

    @Test
    void aBadPercentEscapeInAPathIsA400OnBothFaces() {
        String close = "Host: localhost\r\nConnection: close\r\n\r\n";
        refused(daemon.mcctlPort(), "DELETE /api/worlds/%?force=true HTTP/1.1\r\n" + mcctlAuth() + close, 400,
                "{\"error\":\"ValidationError\",\"message\":\"Bad request: invalid percent-escape in the path\"}",
                "event=bad_path", "mcctl world");
        // a '%' ending the request target: Jetty's URI parser refuses it before any route
        refused(daemon.mcctlPort(), "DELETE /api/servers/% HTTP/1.1\r\n" + mcctlAuth() + close, 400,
                "{\"error\":\"ValidationError\",\"message\":\"Bad request: malformed request\"}",
                "event=bad_request", "mcctl server");
        refused(daemon.mcctlPort(), "DELETE /api/servers/a%zzb HTTP/1.1\r\n" + mcctlAuth() + close, 400,
                "{\"error\":\"ValidationError\",\"message\":\"Bad request: malformed request\"}",
                "event=bad_request", "mcctl server %zz");
        refused(daemon.port(), "DELETE /volumes/% HTTP/1.1\r\n" + lightdAuth() + close, 400,
                "{\"error\":\"Bad request: malformed request\"}", "event=bad_request", "lightd volume %");
        refused(daemon.port(), "DELETE /volumes/%?force=true HTTP/1.1\r\n" + lightdAuth() + close, 400,
                "{\"error\":\"Bad request: invalid percent-escape in the path\"}", "event=bad_path", "lightd volume");
    }

    @Test
    void aBadPercentEscapeInAQueryIsA400OnBothFaces() {
        String close = "Host: localhost\r\nConnection: close\r\n\r\n";
        // was silently dropped: the route ran as if the parameter had not been sent
        refused(daemon.mcctlPort(), "DELETE /api/worlds/nope?force=%zz HTTP/1.1\r\n" + mcctlAuth() + close, 400,
                "{\"error\":\"ValidationError\",\"message\":\"Bad request: invalid percent-escape in the query\"}",
                "event=bad_query", "mcctl query");
        refused(daemon.port(), "GET /volumes/" + daemon.volume().prefix() + "/files?path=%zz HTTP/1.1\r\n" + lightdAuth() + close,
                400, "{\"error\":\"Bad request: invalid percent-escape in the query\"}", "event=bad_query", "lightd query");
        refused(daemon.port(), "DELETE /volumes/" + daemon.volume().prefix() + "/files?path=a%2 HTTP/1.1\r\n" + lightdAuth() + close,
                400, "{\"error\":\"Bad request: invalid percent-escape in the query\"}", "event=bad_query", "lightd query end");
    }

    @Test
    void aTokenDifferingOnlyInCaseIsRefusedOnAKeptAliveConnection() throws IOException {
        // Jetty's header cache matched the second line to the first ignoring case and handed the
        // route the cached, real token: the case-changed one was let in (200)
        String path = "/volumes/" + daemon.volume().prefix();
        String first = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + lightdAuth() + "\r\n";
        String second = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: bearer "
                + daemon.token().toUpperCase(Locale.ROOT) + "\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", daemon.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((first + second).getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            var statuses = Pattern.compile("HTTP/1\\.1 (\\d{3})").matcher(all).results()
                    .map(m -> m.group(1)).toList();
            assertThat(statuses).as(all).containsExactly("200", "401");
            assertThat(all).contains("{\"error\":\"Missing or invalid authorization token\"}");
        }
    }

    @Test
    void anUnknownCharsetInTheContentTypeIsA400OnBothFaces() {
        // reading the body threw UnsupportedCharsetException inside the route: a 500 on both faces
        for (String type : new String[] {"application/json; charset=nonsense", "application/json;charset=\"@@\""}) {
            refused(daemon.port(), post("/network/ports", lightdAuth(), "{}").replace("application/json", type), 400,
                    "{\"error\":\"Bad request: unsupported charset in Content-Type\"}", "event=bad_charset", "lightd " + type);
            refused(daemon.mcctlPort(), post("/api/servers/nope/files/rename", mcctlAuth(), "{}").replace("application/json", type),
                    400, "{\"error\":\"ValidationError\",\"message\":\"Bad request: unsupported charset in Content-Type\"}",
                    "event=bad_charset", "mcctl " + type);
        }
    }

    @Test
    void anAsteriskRequestLineGetsJsonNotHtml() {
        String req = "GET * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        refused(daemon.port(), req, 400, "{\"error\":\"Bad request: malformed request\"}", "event=bad_request",
                "lightd *");
        refused(daemon.mcctlPort(), req, 400,
                "{\"error\":\"ValidationError\",\"message\":\"Bad request: malformed request\"}", "event=bad_request",
                "mcctl *");
    }

    @Test
    void anOldWebSocketVersionGetsJsonNotHtml() {
        var created = daemon.api().post("/containers", Map.of("internal_id", "it-ws8", "image", TestImages.BUSYBOX,
                "volume_id", daemon.volume().id(), "startup_command", "sleep 3600",
                "limits", Map.of("memory", 67108864, "cpu", 0.5)));
        assertThat(created.status()).as(created.toString()).isBetween(200, 299);
        String upgrade = "Host: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n";
        refused(daemon.port(), "GET /ws/it-ws8?token=" + daemon.token() + " HTTP/1.1\r\n" + upgrade, 426,
                "{\"error\":\"Unsupported WebSocket version: only 13 is spoken\"}", "event=bad_upgrade",
                "lightd ws version 8");
        refused(daemon.mcctlPort(), "GET /ws/it-ws8 HTTP/1.1\r\n" + mcctlAuth() + upgrade, 426,
                "{\"error\":\"ValidationError\",\"message\":\"Unsupported WebSocket version: only 13 is spoken\"}",
                "event=bad_upgrade", "mcctl ws version 8");
        // the mcctl face has no socket at all: Jetty's 404 for an upgrade, as JSON
        refused(daemon.mcctlPort(), "GET /ws/it-ws8 HTTP/1.1\r\n" + mcctlAuth() + upgrade.replace("Version: 8", "Version: 13"),
                404, "{\"error\":\"NotFound\",\"message\":\"WebSocket handler not found\"}", "event=bad_request", "mcctl ws no route");
        daemon.api().delete("/containers/it-ws8");
    }

    @Test
    void tempFilesAKillLeftAreCleanedAtStartAndNothingElse() throws Exception {
        Path root = daemon.volume().path();
        Files.createDirectories(root.resolve("world/region"));
        Files.writeString(root.resolve(".lightd-tmp-x"), "half");
        Files.writeString(root.resolve("world/region/.lightd-tmp-123"), "half");
        Files.writeString(root.resolve("world/region/r.0.0.mca"), "keep");
        Files.writeString(root.resolve("lightd-tmp-not-ours"), "keep");
        Files.writeString(root.resolve("server.properties"), "keep");
        Files.createSymbolicLink(root.resolve("link"), Path.of("server.properties"));
        Set<String> before = tree(root);
        daemon.kill9();
        daemon.restart();
        Set<String> after = tree(root);
        Set<String> expected = new TreeSet<>(before);
        expected.remove(".lightd-tmp-x");
        expected.remove("world/region/.lightd-tmp-123");
        assertThat(after).isEqualTo(expected);
        assertThat(Files.readString(root.resolve("world/region/r.0.0.mca"))).isEqualTo("keep");
        assertThat(daemon.log()).contains("event=volume_tmp_cleaned");
    }

    static Set<String> tree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            Set<String> out = new TreeSet<>();
            walk.filter(p -> !p.equals(root)).forEach(p -> out.add(root.relativize(p).toString()));
            return out;
        }
    }
}
