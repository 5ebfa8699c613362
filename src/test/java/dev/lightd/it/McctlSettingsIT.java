package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * mcctl-console's Options page against the stand-in: the status of a never-started server, settings
 * (stored, applied as the image's environment and so server.properties at the next start), world
 * reset, and the routes the console probes that Lightd does not serve yet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McctlSettingsIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withMcStandinImage().withMcctlKey();
    static ApiClient mc;

    static final List<String> KEYS = List.of("difficulty", "gameMode", "maxPlayers", "pvp", "forceGamemode", "hardcore",
            "allowFlight", "allowNether", "enableCommandBlock", "spawnProtection", "spawnAnimals", "spawnMonsters",
            "spawnNpcs", "motd", "levelType", "generateStructures", "maxWorldSize", "onlineMode", "enableWhitelist",
            "enforceWhitelist", "enforceSecureProfile", "memory", "useAikarFlags", "viewDistance", "simulationDistance",
            "maxTickTime", "pauseWhenEmptySeconds");

    @BeforeAll
    static void server() {
        mc = daemon.mcctl();
        var created = mc.post("/api/servers", Map.of("name", "it-opts"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @Test
    @Order(1)
    void aNeverStartedServerIsStoppedInTheListTheDetailAndBothStatusStreams() throws Exception {
        assertThat(mc.get("/api/servers").json().at("/servers/0/status").asText()).isEqualTo("stopped");
        assertThat(mc.get("/api/servers/it-opts").json().at("/server/status").asText()).isEqualTo("stopped");
        assertThat(mc.get("/api/servers/it-opts/status").json().at("/data/status").asText()).isEqualTo("stopped");
        assertThat(firstFrame("/api/servers/it-opts/status?follow=true").at("/data/status").asText()).isEqualTo("stopped");
        JsonNode all = firstFrame("/api/servers-status?follow=true");
        assertThat(all.get("type").asText()).isEqualTo("server-status");
        assertThat(all.at("/data/serverName").asText()).isEqualTo("it-opts");
        assertThat(all.at("/data/status").asText()).isEqualTo("stopped");
    }

    @Test
    @Order(2)
    void settingsHaveTheConsolesKeysAndBadOnesAreRefusedNamingTheKey() {
        JsonNode config = mc.get("/api/servers/it-opts/config").json();
        assertThat(config.properties()).extracting(Map.Entry::getKey).containsExactly("config");
        assertThat(config.get("config").properties()).extracting(Map.Entry::getKey).containsExactlyElementsOf(KEYS);
        assertThat(config.at("/config/difficulty").asText()).isEqualTo("easy");
        assertThat(config.at("/config/maxPlayers").asInt()).isEqualTo(20);
        assertThat(config.at("/config/pvp").asBoolean()).isTrue();
        assertThat(config.at("/config/memory").asText()).isEqualTo("1G");
        assertThat(config.at("/config/motd").asText()).isEqualTo("A Minecraft Server");

        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("foo", "Unknown setting 'foo'");
        bad.put("rconPassword", "Setting 'rconPassword' cannot be changed through Lightd");
        for (var e : bad.entrySet()) {
            var res = mc.send("PATCH", "/api/servers/it-opts/config", Map.of(e.getKey(), "x"));
            assertThat(res.json()).isEqualTo(json("{\"error\":\"ValidationError\",\"message\":\"" + e.getValue() + "\"}"));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("maxPlayers", 0);
        values.put("viewDistance", 99);
        values.put("difficulty", "HARD");
        values.put("gameMode", "god");
        values.put("pvp", "yes");
        values.put("levelType", "minecraft:flat");
        values.put("motd", "hi\nEULA=FALSE");
        values.put("spawnProtection", 1.5);
        for (var e : values.entrySet()) {
            var res = mc.send("PATCH", "/api/servers/it-opts/config", Map.of(e.getKey(), e.getValue()));
            assertThat(res.status()).as(res.toString()).isEqualTo(400);
            assertThat(res.json().get("error").asText()).isEqualTo("ValidationError");
            assertThat(res.json().get("message").asText()).as(res.toString())
                    .contains("for setting '" + e.getKey() + "'").doesNotContain("\n");
        }
        var memory = mc.send("PATCH", "/api/servers/it-opts/config", Map.of("memory", "64K"));
        assertThat(memory.json().get("message").asText()).startsWith("Invalid memory '64K'").contains("(field 'memory')");
        // one bad key in a body refuses all of it
        var mixed = mc.send("PATCH", "/api/servers/it-opts/config", Map.of("difficulty", "hard", "maxPlayers", -1));
        assertThat(mixed.status()).isEqualTo(400);
        assertThat(mc.get("/api/servers/it-opts/config").json()).isEqualTo(config);
        var notObject = mc.send("PATCH", "/api/servers/it-opts/config", "[1]");
        assertThat(notObject.status()).isEqualTo(400);
    }

    @Test
    @Order(3)
    void changedSettingsAreStoredAndAppliedAtTheNextStart() throws Exception {
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("difficulty", "hard");
        patch.put("maxPlayers", 42);
        patch.put("pvp", false);
        patch.put("motd", "Welcome to Lightd: have fun!");
        patch.put("levelType", "flat");
        patch.put("viewDistance", 12);
        var res = mc.send("PATCH", "/api/servers/it-opts/config", patch);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.json().properties()).extracting(Map.Entry::getKey)
                .containsExactly("success", "config", "restartRequired", "changedFields");
        assertThat(res.json().get("success").asBoolean()).isTrue();
        assertThat(res.json().get("restartRequired").asBoolean()).as("stopped: the next start applies it").isFalse();
        assertThat(res.json().get("changedFields"))
                .isEqualTo(json("[\"difficulty\",\"maxPlayers\",\"pvp\",\"motd\",\"levelType\",\"viewDistance\"]"));
        assertThat(res.json().at("/config/difficulty").asText()).isEqualTo("hard");
        assertThat(res.json().at("/config/maxPlayers").asInt()).isEqualTo(42);

        // the console sends its whole form back: nothing changed, nothing refused
        JsonNode all = mc.get("/api/servers/it-opts/config").json().get("config");
        var same = mc.send("PATCH", "/api/servers/it-opts/config", all);
        assertThat(same.json().get("changedFields")).isEqualTo(json("[]"));
        assertThat(same.json().get("config")).isEqualTo(all);

        assertThat(mc.post("/api/servers/it-opts/start", null).status()).isEqualTo(200);
        awaitRcon();
        assertThat(DockerCli.inspect("mc-it-opts", "{{range .Config.Env}}{{println .}}{{end}}").lines().toList())
                .contains("DIFFICULTY=hard", "MAX_PLAYERS=42", "PVP=false", "MOTD=Welcome to Lightd: have fun!",
                        "LEVEL_TYPE=FLAT", "VIEW_DISTANCE=12");
        Path properties = daemon.dataDir().resolve("servers/it-opts/server.properties");
        assertThat(Files.readAllLines(properties)).contains("difficulty=hard", "max-players=42", "pvp=false",
                "motd=Welcome to Lightd: have fun!", "level-type=minecraft:flat", "view-distance=12");
        assertThat(mc.post("/api/servers/it-opts/exec", Map.of("command", "list")).json().get("output").asText())
                .contains("of a max of 42 players");

        var running = mc.send("PATCH", "/api/servers/it-opts/config", Map.of("maxPlayers", 50, "memory", "2G"));
        assertThat(running.json().get("restartRequired").asBoolean()).isTrue();
        assertThat(running.json().get("changedFields")).isEqualTo(json("[\"maxPlayers\",\"memory\"]"));
        assertThat(mc.post("/api/servers/it-opts/restart", null).status()).isEqualTo(200);
        awaitRcon();
        assertThat(DockerCli.inspect("mc-it-opts", "{{range .Config.Env}}{{println .}}{{end}}").lines().toList())
                .as("a changed setting makes a new container").contains("MAX_PLAYERS=50", "MEMORY=2G");
        assertThat(DockerCli.inspect("mc-it-opts", "{{.HostConfig.Memory}}")).isEqualTo(Long.toString((2L << 30) + (512L << 20)));
        assertThat(mc.get("/api/servers/it-opts").json().at("/server/memory").asText()).isEqualTo("2G");
        assertThat(Files.readAllLines(properties)).contains("max-players=50", "difficulty=hard");

        var whitelist = mc.send("PATCH", "/api/servers/it-opts/config", Map.of("enableWhitelist", true));
        assertThat(whitelist.json().get("restartRequired").asBoolean()).as("sent over RCON").isFalse();
        assertThat(Files.readAllLines(properties)).contains("white-list=true");
    }

    @Test
    @Order(4)
    void worldResetNeedsAStoppedServerAndLeavesAnEmptyWorld() throws Exception {
        Path world = daemon.dataDir().resolve("worlds/it-opts");
        assertThat(world.resolve("level.dat")).exists();
        var refused = mc.post("/api/servers/it-opts/world/reset", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json()).isEqualTo(json("{\"error\":\"Conflict\",\"message\":"
                + "\"Server 'it-opts' is running; stop it before resetting its world\"}"));
        assertThat(world.resolve("level.dat")).exists();

        assertThat(mc.post("/api/servers/it-opts/stop", null).status()).isEqualTo(200);
        var reset = mc.post("/api/servers/it-opts/world/reset", null);
        assertThat(reset.json()).isEqualTo(json("{\"success\":true,\"message\":"
                + "\"World data has been reset. Start the server to generate a new world.\",\"worldName\":\"it-opts\"}"));
        try (Stream<Path> s = Files.list(world)) {
            assertThat(s.toList()).as("an empty world folder").isEmpty();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (Stream<Path> s = Files.list(world.getParent())) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).as("the old world removed")
                        .containsExactly("it-opts");
            }
        });
        assertThat(mc.get("/api/worlds/it-opts").json().at("/world/lockedBy").asText()).isEqualTo("mc-it-opts");
        assertThat(mc.post("/api/servers/it-opts/world/reset", null).status()).as("again: nothing to remove").isEqualTo(200);
        assertThat(mc.post("/api/servers/nope/world/reset", null).status()).isEqualTo(404);
        ApiClient viewer = mc.withHeader("X-User", "watcher").withHeader("X-Role", "viewer");
        assertThat(viewer.post("/api/servers/it-opts/world/reset", null).status()).isEqualTo(403);
        assertThat(viewer.send("PATCH", "/api/servers/it-opts/config", Map.of("pvp", true)).status()).isEqualTo(403);
        assertThat(viewer.get("/api/servers/it-opts/config").status()).isEqualTo(200);

        assertThat(mc.post("/api/servers/it-opts/start", null).status()).isEqualTo(200);
        awaitRcon();
        assertThat(world.resolve("level.dat")).as("a new world generated").exists();
    }

    @Test
    @Order(5)
    void playitAnswersNotConfiguredAndLaterIssuesRoutesStayUnknown() {
        assertThat(mc.get("/api/playit/status").json()).isEqualTo(json("{\"enabled\":false,\"agentRunning\":false,"
                + "\"secretKeyConfigured\":false,\"containerStatus\":\"not_found\",\"servers\":[]}"));
        for (String path : List.of("/api/servers/it-opts/mods", "/api/backup/status", "/api/router/status",
                "/api/servers/it-opts/config-snapshots")) {
            assertThat(mc.get(path).json()).isEqualTo(json("{\"error\":\"NotFound\",\"message\":\"Route GET " + path
                    + " not found\"}"));
        }
    }

    /** exec waits for a starting server's RCON, which the stand-in opens after writing its files. */
    private static void awaitRcon() {
        var list = mc.post("/api/servers/it-opts/exec", Map.of("command", "list"));
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
    }

    /** The first data frame of a status stream, read as EventSource would. */
    private static JsonNode firstFrame(String path) throws Exception {
        HttpResponse<InputStream> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + daemon.mcctlPort() + path + "&api_key=" + daemon.mcctlKey())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body()))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    return json(line.substring("data: ".length()));
                }
            }
        }
        throw new AssertionError("the stream ended without a frame");
    }
}
