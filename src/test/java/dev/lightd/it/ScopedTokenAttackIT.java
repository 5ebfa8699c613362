package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Wings CVE-2026-54593 (a console token accepted by the upload route), tried on Lightd: a token
 * minted for one purpose and one resource is refused everywhere else with 403 "Token not allowed
 * for this route" and changes nothing; a single-use console token opens one console once; a
 * revoked token (or a replaced master token) is refused and the consoles it opened are closed at
 * once with 4401 "token revoked"; no token value is ever listed or logged.
 */
class ScopedTokenAttackIT {

    static final String ECHO = "while read l; do echo \"got $l\"; done";
    static final String NOT_ALLOWED = "{\"error\":\"Token not allowed for this route\"}";
    static final String UNAUTHORIZED = "{\"error\":\"Missing or invalid authorization token\"}";

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages().withVolume();
    static final ApiClient api = daemon.api();
    static final String A = "it-scoped-a";
    static final String B = "it-scoped-b";
    static String v1;
    static String v2;
    static Path v1Path;
    static Path v2Path;

    @BeforeAll
    static void twoContainersAndTwoVolumes() {
        v1 = daemon.volume().id();
        v1Path = daemon.volume().path();
        var second = api.post("/volumes", null);
        assertThat(second.status()).isEqualTo(201);
        v2 = second.json().get("volume_id").asText();
        v2Path = Path.of(second.json().get("path").asText());
        for (String v : List.of(v1, v2)) {
            assertThat(api.post("/volumes/" + v + "/files", Map.of("path", "secret.txt", "content", "secret of " + v))
                    .status()).isEqualTo(200);
        }
        for (String id : List.of(A, B)) {
            var created = api.post("/containers", Map.of("internal_id", id, "image", TestImages.BUSYBOX,
                    "volume_id", id.equals(A) ? v1 : v2, "startup_command", ECHO, "install_script", "",
                    "limits", Map.of("memory", 67108864, "cpu", 0.5)));
            assertThat(created.status()).as(created.toString()).isEqualTo(200);
        }
        for (String id : List.of(A, B)) {
            await().alias(id + " ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get("/containers/" + id).json().path("install_state").asText(), "ready"::equals);
            assertThat(api.post("/containers/" + id + "/start", null).status()).isEqualTo(200);
            await().alias(id + " running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get("/containers/" + id).json().path("state").asText(), "running"::equals);
        }
    }

    static JsonNode mint(Map<String, Object> request) {
        var res = api.post("/auth/tokens", request);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.json();
    }

    static JsonNode consoleToken(String container, boolean once) {
        return mint(Map.of("ttl", "5m", "remove_on_use", once, "scopes", List.of("console"),
                "containers", List.of(container)));
    }

    static void assertNotAllowed(ApiClient.Response res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(403);
        assertThat(res.json()).isEqualTo(json(NOT_ALLOWED));
    }

    @Test
    void consoleTokenOpensItsConsoleOnceAndNothingElse() throws Exception {
        JsonNode minted = consoleToken(A, true);
        ApiClient token = daemon.api(minted.get("token").asText());
        String value = minted.get("token").asText();

        // everything but its console, before it is used: refused, and nothing changed
        assertNotAllowed(token.delete("/volumes/" + v1));
        assertNotAllowed(token.delete("/volumes/" + v1.substring(0, 8)));
        assertNotAllowed(token.post("/volumes/" + v1 + "/files", Map.of("path", "secret.txt", "content", "pwned")));
        assertNotAllowed(token.post("/volumes/" + v1 + "/files", Map.of("path", "dropped.txt", "content", "pwned")));
        assertNotAllowed(token.post("/volumes/" + v1 + "/decompress", Map.of("archive_path", "x.tar.gz")));
        assertNotAllowed(token.delete("/volumes/" + v1 + "/files?path=secret.txt"));
        assertNotAllowed(token.get("/volumes/" + v1 + "/files/content?path=secret.txt"));
        assertNotAllowed(token.post("/containers/" + A + "/kill", null));
        assertNotAllowed(token.delete("/containers/" + A));
        assertNotAllowed(token.get("/containers/" + A));
        assertNotAllowed(token.get("/containers"));
        assertNotAllowed(token.post("/volumes", null));
        assertNotAllowed(token.get("/network/ports"));
        assertNotAllowed(token.get("/metrics"));
        assertThat(token.get("/auth/tokens").status()).isEqualTo(403);
        assertThat(RawWebSocket.answer(daemon.port(), "/ws/" + B + "?token=" + value)).startsWith("HTTP/1.1 403").endsWith(NOT_ALLOWED);
        assertThat(RawWebSocket.answer(daemon.port(), "/ws/no-such-container?token=" + value)).startsWith("HTTP/1.1 403").endsWith(NOT_ALLOWED);

        assertThat(api.get("/volumes/" + v1).status()).isEqualTo(200);
        assertThat(Files.readString(v1Path.resolve("secret.txt"))).isEqualTo("secret of " + v1);
        assertThat(v1Path.resolve("dropped.txt")).doesNotExist();
        assertThat(api.get("/containers/" + A).json().path("state").asText()).isEqualTo("running");

        // its console, once: it reads and types, but a power frame is outside its scopes
        try (ConsoleClient console = new ConsoleClient(daemon, A, value)) {
            console.await("history", ConsoleClient.event("logs", null));
            console.send("{\"event\":\"send_command\",\"data\":\"hello-from-browser\"}");
            console.await("echo", ConsoleClient.consoleContains("got hello-from-browser"));
            console.send("{\"event\":\"power\",\"data\":\"kill\"}");
            console.await("power refused", ConsoleClient.event("error", "Token not allowed for this route"));
            assertThat(api.get("/containers/" + A).json().path("state").asText()).isEqualTo("running");

            // a second time: used up, on its own console as on the routes
            assertThat(RawWebSocket.answer(daemon.port(), "/ws/" + A + "?token=" + value)).startsWith("HTTP/1.1 401").endsWith(UNAUTHORIZED);
            var again = token.get("/containers/" + A);
            assertThat(again.status()).isEqualTo(401);
            assertThat(again.json()).isEqualTo(json(UNAUTHORIZED));
        }
    }

    @Test
    void revocationRefusesTheTokenAndClosesItsLiveConsoleAtOnce() throws Exception {
        JsonNode minted = consoleToken(A, false);
        String id = minted.get("id").asText();
        String value = minted.get("token").asText();
        ConsoleClient console = new ConsoleClient(daemon, A, value);
        ConsoleClient other = new ConsoleClient(daemon, A, daemon.token());
        try {
            console.await("history", ConsoleClient.event("logs", null));
            other.await("history", ConsoleClient.event("logs", null));

            var revoked = api.delete("/auth/tokens/" + id);
            assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
            assertThat(revoked.json()).isEqualTo(json("{\"message\":\"Token revoked\",\"id\":\"" + id + "\"}"));
            // closed by the revocation itself (no periodic check): the wait is only for a loaded machine
            assertThat(console.closed.get(30, TimeUnit.SECONDS)).isEqualTo("4401 token revoked");

            assertThat(RawWebSocket.answer(daemon.port(), "/ws/" + A + "?token=" + value)).startsWith("HTTP/1.1 401").endsWith(UNAUTHORIZED);
            assertThat(daemon.api(value).get("/containers/" + A).status()).isEqualTo(401);
            assertThat(api.get("/auth/tokens").json().path("tokens").findValuesAsText("id")).doesNotContain(id);
            var twice = api.delete("/auth/tokens/" + id);
            assertThat(twice.status()).isEqualTo(404);
            assertThat(twice.json()).isEqualTo(json("{\"error\":\"Token not found\"}"));

            // the master's console is not touched, and the container still runs
            other.send("{\"event\":\"send_command\",\"data\":\"still-here\"}");
            other.await("echo", ConsoleClient.consoleContains("got still-here"));
            assertThat(other.closed).isNotDone();
        } finally {
            other.close();
        }
    }

    @Test
    void revokingAUsedSingleUseTokenClosesTheConsoleItOpened() throws Exception {
        JsonNode minted = consoleToken(B, true);
        ConsoleClient console = new ConsoleClient(daemon, B, minted.get("token").asText());
        console.await("history", ConsoleClient.event("logs", null));
        JsonNode listed = listed(minted.get("id").asText());
        assertThat(listed.path("used_at").isTextual()).as(listed.toString()).isTrue();
        assertThat(api.delete("/auth/tokens/" + minted.get("id").asText()).status()).isEqualTo(200);
        assertThat(console.closed.get(5, TimeUnit.SECONDS)).isEqualTo("4401 token revoked");
    }

    @Test
    void replacingTheMasterTokenClosesTheConsolesTheOldOneOpened() throws Exception {
        ConsoleClient master = new ConsoleClient(daemon, B, daemon.token());
        JsonNode minted = consoleToken(B, false);
        ConsoleClient scoped = new ConsoleClient(daemon, B, minted.get("token").asText());
        try {
            master.await("history", ConsoleClient.event("logs", null));
            scoped.await("history", ConsoleClient.event("logs", null));
            String fresh = daemon.cli("", "token", "reset");
            try {
                assertThat(fresh).matches("lightd_[0-9a-f]{32}");
                assertThat(master.closed.get(5, TimeUnit.SECONDS)).isEqualTo("4401 token revoked");
                assertThat(api.get("/volumes").status()).isEqualTo(401);
                assertThat(daemon.api(fresh).get("/volumes").status()).isEqualTo(200);
                assertThat(scoped.closed).as("a minted token's console stays").isNotDone();
            } finally {
                daemon.cli("", "token", "set", daemon.token());
            }
            assertThat(api.get("/volumes").status()).isEqualTo(200);
        } finally {
            scoped.close();
        }
    }

    @Test
    void filesReadTokenReadsItsVolumeOnly() throws Exception {
        JsonNode minted = mint(Map.of("ttl", "5m", "scopes", List.of("files:read"),
                "volumes", List.of(v1.substring(0, 8))));
        ApiClient token = daemon.api(minted.get("token").asText());

        var read = token.get("/volumes/" + v1 + "/files/content?path=secret.txt");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("secret of " + v1);
        assertThat(token.get("/volumes/" + v1.substring(0, 8) + "/files?path=").status()).isEqualTo(200);

        assertNotAllowed(token.post("/volumes/" + v1 + "/files", Map.of("path", "secret.txt", "content", "pwned")));
        assertNotAllowed(token.post("/volumes/" + v1 + "/folders", Map.of("path", "made")));
        assertNotAllowed(token.post("/volumes/" + v1 + "/compress", Map.of("format", "tar.gz", "output_name", "b")));
        assertNotAllowed(token.delete("/volumes/" + v1 + "/files?path=secret.txt"));
        assertNotAllowed(token.delete("/volumes/" + v1));
        assertNotAllowed(token.get("/volumes/" + v2 + "/files/content?path=secret.txt"));
        assertNotAllowed(token.get("/volumes/" + v2.substring(0, 8) + "/files?path="));
        assertNotAllowed(token.get("/volumes/ffffffff-0000-0000-0000-000000000000/files?path="));
        assertNotAllowed(token.get("/volumes/xx/files?path="));
        assertNotAllowed(token.get("/volumes"));
        assertThat(RawWebSocket.answer(daemon.port(), "/ws/" + A + "?token=" + minted.get("token").asText())).startsWith("HTTP/1.1 403");

        assertThat(Files.readString(v1Path.resolve("secret.txt"))).isEqualTo("secret of " + v1);
        assertThat(Files.readString(v2Path.resolve("secret.txt"))).isEqualTo("secret of " + v2);
        assertThat(v1Path.resolve("made")).doesNotExist();
        assertThat(v1Path.resolve("b.tar.gz")).doesNotExist();
    }

    @Test
    void listShowsIdsScopesAndBindingsButNeverAValue() {
        List<String> values = new ArrayList<>();
        JsonNode console = consoleToken(A, true);
        JsonNode files = mint(Map.of("ttl", "1h", "scopes", List.of("files:read", "files:write"),
                "volumes", List.of(v2)));
        JsonNode plain = mint(Map.of("ttl", "1h", "remove_on_use", false));
        for (JsonNode m : List.of(console, files, plain)) {
            values.add(m.get("token").asText());
            assertThat(m.get("id").asText()).matches("[0-9a-f]{16}");
        }
        // a value used in a query string (browsers' WebSockets) is not logged either
        assertThat(api.get("/volumes?token=" + values.get(2)).status()).isEqualTo(200);
        assertThat(daemon.api(null).get("/volumes?token=" + values.get(2)).status()).isEqualTo(200);

        var list = api.get("/auth/tokens");
        assertThat(list.status()).isEqualTo(200);
        for (String v : values) {
            assertThat(list.body()).doesNotContain(v).doesNotContain(v.substring(7));
        }
        JsonNode c = listed(console.get("id").asText());
        assertThat(c.properties()).extracting(Map.Entry::getKey).containsExactly("id", "scopes", "bindings",
                "expires_at", "remove_on_use", "created_at", "used_at");
        assertThat(c.get("scopes")).isEqualTo(json("[\"console\"]"));
        assertThat(c.get("bindings")).isEqualTo(json("{\"containers\":[\"" + A + "\"]}"));
        assertThat(c.get("remove_on_use").asBoolean()).isTrue();
        assertThat(c.get("expires_at").asText()).isEqualTo(console.get("expires_at").asText());
        assertThat(listed(files.get("id").asText()).get("bindings")).isEqualTo(json("{\"volumes\":[\"" + v2 + "\"]}"));
        assertThat(listed(files.get("id").asText()).get("scopes")).isEqualTo(json("[\"files:read\",\"files:write\"]"));
        assertThat(listed(plain.get("id").asText()).get("scopes").isNull()).isTrue();
        assertThat(listed(plain.get("id").asText()).get("bindings")).isEqualTo(json("{}"));

        // only the master lists and revokes
        ApiClient minted = daemon.api(values.get(2));
        assertThat(minted.get("/auth/tokens").status()).isEqualTo(403);
        assertThat(minted.delete("/auth/tokens/" + console.get("id").asText()).status()).isEqualTo(403);
        assertThat(listed(console.get("id").asText())).isNotNull();

        String log = daemon.log();
        for (String v : values) {
            assertThat(log).doesNotContain(v).doesNotContain(v.substring(7));
        }
    }

    @Test
    void unscopedTokensKeepTheirMeaningAndBadScopesAreRefused() {
        ApiClient plain = daemon.api(mint(Map.of("ttl", "1h", "remove_on_use", false)).get("token").asText());
        assertThat(plain.get("/volumes").status()).isEqualTo(200);
        assertThat(plain.get("/containers/" + A).status()).isEqualTo(200);
        assertThat(plain.get("/network/ports").status()).isEqualTo(200);
        assertThat(plain.get("/volumes/" + v2 + "/files/content?path=secret.txt").status()).isEqualTo(200);
        assertThat(plain.get("/remote/config").status()).isEqualTo(403);

        Map<Object, String> bad = new HashMap<>();
        bad.put(Map.of("scopes", List.of("console", "upload")),
                "Invalid scopes: unknown scope 'upload' (known: console, power, containers, volumes, files:read, files:write, ports, metrics)");
        bad.put(Map.of("scopes", List.of()),
                "Invalid scopes: give at least one of console, power, containers, volumes, files:read, files:write, ports, metrics (or leave scopes out for an unscoped token)");
        bad.put(Map.of("scopes", "console"), "Field 'scopes' must be an array of strings");
        bad.put(Map.of("scopes", List.of(1)), "Field 'scopes' must be an array of strings");
        bad.put(Map.of("containers", List.of("../x")),
                "Invalid containers: '../x' is not a container id (1-63 letters, digits, '_', '.' or '-')");
        bad.put(Map.of("containers", List.of()), "Invalid containers: give at least one id (or leave containers out for no binding)");
        bad.put(Map.of("volumes", List.of("ffffffff")), "Invalid volumes: 'ffffffff': Volume not found");
        bad.put(Map.of("volumes", "x"), "Field 'volumes' must be an array of strings");
        int before = api.get("/auth/tokens").json().path("tokens").size();
        bad.forEach((request, error) -> {
            var res = api.post("/auth/tokens", request);
            assertThat(res.status()).as(request.toString()).isEqualTo(400);
            assertThat(res.json()).as(request.toString()).isEqualTo(json("{\"error\":" + quote(error) + "}"));
        });
        assertThat(api.get("/auth/tokens").json().path("tokens").size()).isEqualTo(before);
    }

    static JsonNode listed(String id) {
        for (JsonNode t : api.get("/auth/tokens").json().path("tokens")) {
            if (t.path("id").asText().equals(id)) {
                return t;
            }
        }
        return null;
    }

    static String quote(String text) {
        return new ObjectMapper().getNodeFactory().textNode(text).toString();
    }

}
