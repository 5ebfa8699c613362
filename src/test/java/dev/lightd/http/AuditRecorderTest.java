package dev.lightd.http;

import dev.lightd.audit.AuditEntry;
import dev.lightd.audit.AuditLog;
import dev.lightd.audit.AuditQuery;
import dev.lightd.http.AuditRecorder.Body;
import dev.lightd.http.AuditRecorder.Found;
import dev.lightd.http.AuditRecorder.Rule;
import dev.lightd.store.AuditStore;
import dev.lightd.store.Database;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The after-handler against a real Javalin server, a real HTTP client and a real SQLite file: which
 * requests are recorded, under which name, and that no credential or file content reaches the details.
 */
class AuditRecorderTest {

    @TempDir
    Path dir;
    Database db;
    AuditLog audit;
    Javalin app;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        db = Database.open(dir.resolve("lightd.db"));
        audit = new AuditLog(new AuditStore(db), Clock.systemUTC(), () -> Duration.ofDays(90), Duration.ofHours(1));
        List<Rule> table = List.of(
                new Rule("POST", "/things/{name}/login", "thing.login", "thing", AuditRecorder.param("name"),
                        Body.of("user", "password")),
                new Rule("PATCH", "/things/{name}/settings", "thing.config", "thing", AuditRecorder.param("name"),
                        Body.SETTINGS),
                new Rule("GET", "/things/{name}/download", "thing.download", "thing", AuditRecorder.param("name"),
                        Body.NONE));
        AuditRecorder recorder = new AuditRecorder(audit, Clock.systemUTC(), table,
                ctx -> ctx.header("X-Test-Actor"), body -> body.path("error").asText(null),
                (template, seen) -> new Found("thing", seen.param("name")));
        app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        app.after(recorder::after);
        app.post("/things/{name}/poke", ctx -> ctx.json(Map.of("ok", true)));
        app.post("/things/{name}/fail", ctx -> ctx.status(409).json(Map.of("error", "Thing is busy")));
        app.post("/things/{name}/login", ctx -> ctx.json(Map.of("token", "sekrit-token-in-answer")));
        app.patch("/things/{name}/settings", ctx -> ctx.json(Map.of("ok", true)));
        app.put("/things/{name}/file", ctx -> ctx.json(Map.of("ok", true)));
        app.get("/things/{name}", ctx -> ctx.json(Map.of("ok", true)));
        app.get("/things/{name}/download", ctx -> ctx.result("file bytes"));
        app.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
        audit.close();
        db.close();
    }

    private int send(String method, String path, String actor, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (actor != null) {
            b.header("X-Test-Actor", actor);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private List<AuditEntry> entries() {
        return audit.query(AuditQuery.ALL).entries().reversed();
    }

    @Test
    void aRouteMissingFromTheTableIsRecordedUnderItsMethodAndTemplate() throws Exception {
        assertThat(send("POST", "/things/alpha/poke?mode=fast", "alice", "{\"x\":1}")).isEqualTo(200);
        assertThat(send("POST", "/things/beta/fail", "bob", null)).isEqualTo(409);

        List<AuditEntry> e = entries();
        assertThat(e).extracting(AuditEntry::action).containsExactly("POST /things/{name}/poke", "POST /things/{name}/fail");
        assertThat(e.get(0).actor()).isEqualTo("alice");
        assertThat(e.get(0).targetType()).isEqualTo("thing");
        assertThat(e.get(0).targetName()).isEqualTo("alpha");
        assertThat(e.get(0).status()).isEqualTo("success");
        // path and query parameters, never a body field the table did not name
        assertThat(e.get(0).details()).isEqualTo(Map.of("name", "alpha", "mode", "fast", "httpStatus", 200));
        assertThat(e.get(1).status()).isEqualTo("failure");
        assertThat(e.get(1).errorMessage()).isEqualTo("Thing is busy");
    }

    @Test
    void credentialsAndFileContentsNeverReachTheDetails() throws Exception {
        send("POST", "/things/alpha/login?token=qtoken123&api_key=mctk_abc", "alice",
                "{\"user\":\"carol\",\"password\":\"hunter2hunter2\",\"content\":\"x\"}");
        send("PATCH", "/things/alpha/settings", "alice",
                "{\"motd\":\"hi\",\"maxPlayers\":20,\"rconPassword\":\"pw-secret\",\"apiKey\":\"k-secret\",\"nested\":{\"a\":1}}");
        send("PUT", "/things/alpha/file?path=notes.txt", "alice", "{\"content\":\"file body secret\"}");

        List<AuditEntry> e = entries();
        assertThat(e).hasSize(3);
        String all = e.toString();
        assertThat(all).doesNotContain("hunter2", "qtoken123", "mctk_abc", "pw-secret", "k-secret", "file body secret",
                "sekrit-token-in-answer");
        // the table named user and password: a field whose name is a credential's is still never taken
        assertThat(e.get(0).details()).containsEntry("user", "carol").doesNotContainKeys("token", "api_key");
        assertThat(e.get(1).details()).containsEntry("motd", "hi").containsEntry("maxPlayers", 20)
                .doesNotContainKeys("rconPassword", "apiKey", "nested");
        assertThat(e.get(2).details()).containsEntry("path", "notes.txt").doesNotContainKey("content");
    }

    @Test
    void readsUnmatchedRoutesAndUnidentifiedCallersAreNotRecorded_butReadsTheTableNamesAre() throws Exception {
        assertThat(send("GET", "/things/alpha", "alice", null)).isEqualTo(200);
        assertThat(send("POST", "/nowhere", "alice", null)).isEqualTo(404);
        assertThat(send("POST", "/things/alpha/poke", null, null)).isEqualTo(200);
        assertThat(send("GET", "/things/alpha/download?path=world/level.dat", "alice", null)).isEqualTo(200);

        assertThat(entries()).extracting(AuditEntry::action).containsExactly("thing.download");
        assertThat(entries().getFirst().details()).containsEntry("path", "world/level.dat");
    }

    @Test
    void longValuesAreCut() throws Exception {
        send("PATCH", "/things/alpha/settings", "alice", "{\"motd\":\"" + "m".repeat(5000) + "\"}");
        String motd = (String) entries().getFirst().details().get("motd");
        assertThat(motd).hasSize(AuditRecorder.MAX_VALUE_CHARS + 1).endsWith("…");
    }
}
