package dev.lightd.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every mcctl auth mode, switched live with a config reload on one daemon. */
class McctlAuthIT {

    static final ObjectMapper MAPPER = new ObjectMapper();
    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults()
            .withConfig(cfg -> ((ObjectNode) cfg.putObject("mcctl").putObject("auth"))
                    .put("mode", "api-key").put("max_failed_logins", 3))
            .withMcctlKey();
    static String key;

    @BeforeAll
    static void users() {
        key = daemon.mcctlKey();
        assertThat(daemon.cli("correct horse battery", "mcctl", "user", "add", "admin", "--role", "admin"))
                .startsWith("added admin (admin, user-");
        assertThat(daemon.cli("viewer password", "mcctl", "user", "add", "watcher")).startsWith("added watcher (viewer");
    }

    /** Rewrites mcctl.auth in config.json and reloads it through the Lightd face. */
    static void auth(String mode, List<String> whitelist, List<String> trusted) throws Exception {
        Path file = daemon.dataDir().resolve("config.json");
        ObjectNode config = (ObjectNode) MAPPER.readTree(file.toFile());
        ObjectNode auth = ((ObjectNode) config.with("mcctl")).putObject("auth");
        auth.put("mode", mode).put("max_failed_logins", 3);
        ArrayNode wl = auth.putArray("ip_whitelist");
        whitelist.forEach(wl::add);
        ArrayNode tp = auth.putArray("trusted_proxies");
        trusted.forEach(tp::add);
        Files.writeString(file, MAPPER.writeValueAsString(config));
        assertThat(daemon.api().post("/remote/config/reload", null).status()).isEqualTo(200);
    }

    static ApiClient basic(String user, String password) {
        return daemon.mcctl(null).withHeader("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyMode() throws Exception {
        // api-key
        auth("api-key", List.of(), List.of());
        assertThat(daemon.mcctl(key).get("/api/worlds").status()).isEqualTo(200);
        assertThat(daemon.mcctl(null).get("/api/worlds").status()).isEqualTo(401);

        // ip-whitelist
        auth("ip-whitelist", List.of("10.0.0.0/8"), List.of());
        var outside = daemon.mcctl(key).get("/api/worlds");
        assertThat(outside.status()).isEqualTo(403);
        assertThat(outside.json()).isEqualTo(json("{\"error\":\"ForbiddenError\",\"message\":\"IP 127.0.0.1 is not in the whitelist\"}"));
        auth("ip-whitelist", List.of("127.0.0.0/8"), List.of());
        assertThat(daemon.mcctl(null).get("/api/worlds").status()).isEqualTo(200);

        // combined: both the key and the address
        auth("combined", List.of("127.0.0.1"), List.of());
        assertThat(daemon.mcctl(null).get("/api/worlds").status()).isEqualTo(401);
        assertThat(daemon.mcctl(key).get("/api/worlds").status()).isEqualTo(200);
        auth("combined", List.of("10.1.2.3"), List.of());
        assertThat(daemon.mcctl(key).get("/api/worlds").status()).isEqualTo(403);

        // basic
        auth("basic", List.of(), List.of());
        assertThat(basic("admin", "correct horse battery").get("/api/worlds").status()).isEqualTo(200);
        var wrong = basic("admin", "wrong");
        assertThat(wrong.get("/api/worlds").status()).isEqualTo(401);
        assertThat(wrong.get("/api/worlds").json()).isEqualTo(json(
                "{\"error\":\"AuthenticationError\",\"message\":\"Invalid username or password\"}"));
        assertThat(daemon.mcctl(null).get("/api/worlds").raw().headers().firstValue("WWW-Authenticate"))
                .hasValue("Basic realm=\"mcctl\"");
        var viewerReads = basic("watcher", "viewer password").get("/api/worlds");
        assertThat(viewerReads.status()).isEqualTo(200);
        var viewerActs = basic("watcher", "viewer password").post("/api/worlds", Map.of("name", "nope"));
        assertThat(viewerActs.status()).isEqualTo(403);
        assertThat(viewerActs.json()).isEqualTo(json("{\"error\":\"ForbiddenError\",\"message\":\"Role 'viewer' may read but not act\"}"));
        assertThat(basic("admin", "correct horse battery").get("/api/auth/me").json())
                .isEqualTo(json("{\"username\":\"admin\",\"role\":\"admin\"}"));

        // disabled
        auth("disabled", List.of(), List.of());
        assertThat(daemon.mcctl(null).get("/api/worlds").status()).isEqualTo(200);
    }

    /**
     * The daemon keeps the keys it found in memory; `lightd mcctl key revoke` is another process
     * writing the same SQLite file, and its revocation holds from the very next request.
     */
    @Test
    void aKeyRevokedByTheCliIsRefusedAtTheNextRequest() throws Exception {
        auth("api-key", List.of(), List.of());
        String doomed = daemon.cli("", "mcctl", "key", "create", "--name", "revoked-soon");
        ApiClient client = daemon.mcctl(doomed);
        for (int i = 0; i < 3; i++) { // the first finds it in SQLite, the others in memory
            assertThat(client.get("/api/servers").status()).isEqualTo(200);
        }
        String id = doomed.substring(5, 13);
        assertThat(daemon.cli("", "mcctl", "key", "revoke", id)).isEqualTo("revoked " + id);

        var refused = client.get("/api/servers");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json()).isEqualTo(json("{\"error\":\"AuthenticationError\",\"message\":\"Invalid API key\"}"));
        assertThat(client.get("/api/servers/nope").status()).as("every route").isEqualTo(401);
        assertThat(daemon.mcctl(key).get("/api/servers").status()).as("the other key is kept").isEqualTo(200);

        // a key made by the CLI after the daemon looked it up in vain is accepted at once
        String late = daemon.cli("", "mcctl", "key", "create", "--name", "late");
        assertThat(daemon.mcctl(late).get("/api/servers").status()).isEqualTo(200);
    }

    @Test
    void loginAndItsThrottle() throws Exception {
        auth("api-key", List.of(), List.of());
        var ok = daemon.mcctl(key).post("/api/auth/login", Map.of("username", "admin", "password", "correct horse battery"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().properties()).extracting(Map.Entry::getKey).containsExactly("id", "username", "role", "name");
        assertThat(ok.json().get("username").asText()).isEqualTo("admin");
        assertThat(ok.json().get("role").asText()).isEqualTo("admin");
        assertThat(ok.json().get("name").asText()).isEqualTo("admin");
        assertThat(daemon.mcctl(null).post("/api/auth/login", Map.of("username", "admin", "password", "x")).status())
                .as("the key is needed for login too").isEqualTo(401);

        for (int i = 0; i < 3; i++) {
            if (i == 2) {
                // a guesser holding one account of its own must not reset its address's count by using it
                assertThat(daemon.mcctl(key).post("/api/auth/login",
                        Map.of("username", "admin", "password", "correct horse battery")).status()).isEqualTo(200);
            }
            var bad = daemon.mcctl(key).post("/api/auth/login", Map.of("username", "admin", "password", "guess" + i));
            assertThat(bad.status()).isEqualTo(401);
            assertThat(bad.json()).isEqualTo(json("{\"error\":\"Unauthorized\",\"message\":\"Invalid username or password\"}"));
        }
        var throttled = daemon.mcctl(key).post("/api/auth/login", Map.of("username", "admin", "password", "correct horse battery"));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.json().get("error").asText()).isEqualTo("TooManyRequests");
        assertThat(throttled.raw().headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void proxyHeadersAreBelievedOnlyFromTrustedAddresses() throws Exception {
        auth("api-key", List.of(), List.of());
        var untrusted = daemon.mcctl(key).withHeader("X-User", "mallory").withHeader("X-Role", "admin").get("/api/auth/me");
        assertThat(untrusted.status()).isEqualTo(401);
        assertThat(untrusted.json().get("error").asText()).isEqualTo("AuthenticationError");

        auth("api-key", List.of(), List.of("127.0.0.1"));
        var trusted = daemon.mcctl(key).withHeader("X-User", "alice").withHeader("X-Role", "viewer").get("/api/auth/me");
        assertThat(trusted.json()).isEqualTo(json("{\"username\":\"alice\",\"role\":\"viewer\"}"));
        var viewerActs = daemon.mcctl(key).withHeader("X-User", "alice").withHeader("X-Role", "viewer")
                .post("/api/worlds", Map.of("name", "nope"));
        assertThat(viewerActs.status()).isEqualTo(403);
        var adminActs = daemon.mcctl(key).withHeader("X-User", "bob").withHeader("X-Role", "admin")
                .post("/api/worlds", Map.of("name", "yes"));
        assertThat(adminActs.status()).isEqualTo(201);
        // mcctl-console's "user": its back end checked the server permission before calling
        var userActs = daemon.mcctl(key).withHeader("X-User", "carol").withHeader("X-Role", "user")
                .post("/api/worlds", Map.of("name", "carols"));
        assertThat(userActs.status()).isEqualTo(201);
        assertThat(daemon.mcctl(key).withHeader("X-User", "carol").withHeader("X-Role", "user").get("/api/auth/me").json())
                .isEqualTo(json("{\"username\":\"carol\",\"role\":\"user\"}"));
        var userPurges = daemon.mcctl(key).withHeader("X-User", "carol").withHeader("X-Role", "user")
                .send("DELETE", "/api/audit-logs", Map.of("before", "2020-01-01T00:00:00Z"));
        assertThat(userPurges.status()).isEqualTo(403);
        assertThat(userPurges.json().get("message").asText()).isEqualTo("Role 'user' may not do this: admins only");
    }
}
