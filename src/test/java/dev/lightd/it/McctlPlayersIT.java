package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whitelist, operators and bans as mcctl-console calls them, on a stopped server (its files edited
 * by the daemon, read by the stand-in at start) and on a running one (vanilla's commands over RCON,
 * files written by the server).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McctlPlayersIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withMcStandinImage().withMcctlKey();
    static ApiClient mc;
    static Path folder;

    static final String STEVE = "5627dd98-e6be-3c21-b8a8-e92344183641"; // vanilla's offline-mode UUID of Steve

    @BeforeAll
    static void server() {
        mc = daemon.mcctl();
        var created = mc.post("/api/servers", Map.of("name", "it-players"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        folder = daemon.dataDir().resolve("servers/it-players");
    }

    @Test
    @Order(1)
    void aNeverStartedServerHasEmptyListsAndRefusesBadNames() {
        assertThat(mc.get("/api/servers/it-players/whitelist").json())
                .isEqualTo(json("{\"players\":[],\"total\":0,\"source\":\"file\",\"enabled\":false}"));
        assertThat(mc.get("/api/servers/it-players/whitelist/status").json())
                .isEqualTo(json("{\"enabled\":false,\"source\":\"config\"}"));
        assertThat(mc.get("/api/servers/it-players/ops").json())
                .isEqualTo(json("{\"operators\":[],\"count\":0,\"source\":\"file\"}"));
        assertThat(mc.get("/api/servers/it-players/bans").json())
                .isEqualTo(json("{\"players\":[],\"total\":0,\"source\":\"file\"}"));
        assertThat(mc.get("/api/servers/nope/whitelist").json())
                .isEqualTo(json("{\"error\":\"NotFound\",\"message\":\"Server 'nope' not found\"}"));

        for (String bad : new String[] {"ab", "a b", "Steve;op", "ThisNameIsWayTooLong", "Ünïcode", "x\nop Evil"}) {
            assertValidation(mc.post("/api/servers/it-players/whitelist", Map.of("player", bad)), "player");
            assertValidation(mc.post("/api/servers/it-players/ops", Map.of("player", bad)), "player");
            assertValidation(mc.post("/api/servers/it-players/bans", Map.of("player", bad)), "player");
        }
        assertValidation(mc.delete("/api/servers/it-players/whitelist/a%20b"), "player");
        assertValidation(mc.delete("/api/servers/it-players/bans/x%0Aop%20Evil"), "player");
        assertThat(mc.post("/api/servers/it-players/whitelist", Map.of()).json())
                .isEqualTo(json("{\"error\":\"ValidationError\",\"message\":\"Missing required field 'player'\"}"));
        assertValidation(mc.post("/api/servers/it-players/ops", Map.of("player", "Steve", "level", 5)), "level");
        assertValidation(mc.post("/api/servers/it-players/bans", Map.of("player", "Steve", "reason", "bye\nop Evil")),
                "reason");
        assertThat(Files.exists(folder.resolve("whitelist.json"))).as("nothing written").isFalse();

        // in online mode only the running server can look a player's UUID up
        var online = mc.post("/api/servers/it-players/whitelist", Map.of("player", "Steve"));
        assertThat(online.status()).isEqualTo(409);
        assertThat(online.json().get("error").asText()).isEqualTo("Conflict");
        assertThat(online.json().get("message").asText()).contains("online mode");
    }

    @Test
    @Order(2)
    void aStoppedServersFilesAreEditedAtomically() throws Exception {
        assertThat(mc.send("PATCH", "/api/servers/it-players/config", Map.of("onlineMode", false)).status()).isEqualTo(200);

        assertThat(mc.post("/api/servers/it-players/whitelist", Map.of("player", "Steve")).json()).isEqualTo(json(
                "{\"success\":true,\"message\":\"Added Steve to the whitelist (read by the server at its next start)\","
                        + "\"source\":\"file\"}"));
        assertThat(mc.post("/api/servers/it-players/whitelist", Map.of("player", "Alex")).status()).isEqualTo(200);
        assertThat(mc.delete("/api/servers/it-players/whitelist/alex").json()).isEqualTo(json(
                "{\"success\":true,\"message\":\"Removed alex from the whitelist\",\"source\":\"file\"}"));
        assertThat(mc.get("/api/servers/it-players/whitelist").json()).isEqualTo(json(
                "{\"players\":[{\"name\":\"Steve\",\"uuid\":\"" + STEVE + "\"}],\"total\":1,\"source\":\"file\",\"enabled\":false}"));
        assertThat(json(Files.readString(folder.resolve("whitelist.json"))))
                .isEqualTo(json("[{\"uuid\":\"" + STEVE + "\",\"name\":\"Steve\"}]"));

        assertThat(mc.put("/api/servers/it-players/whitelist/status", Map.of("enabled", true)).json())
                .isEqualTo(json("{\"enabled\":true,\"source\":\"config\"}"));
        assertThat(mc.get("/api/servers/it-players/whitelist").json().get("enabled").asBoolean()).isTrue();

        var op = mc.post("/api/servers/it-players/ops", Map.of("player", "Alex", "level", 2));
        assertThat(op.json().get("success").asBoolean()).isTrue();
        assertThat(op.json().get("source").asText()).isEqualTo("file");
        assertThat(op.json().get("operator")).isEqualTo(json("{\"name\":\"Alex\",\"uuid\":\""
                + offline("Alex") + "\",\"level\":2,\"role\":\"Gamemaster\",\"bypassesPlayerLimit\":false}"));
        var level = mc.send("PATCH", "/api/servers/it-players/ops/Alex", Map.of("level", 3));
        assertThat(level.json().at("/operator/level").asInt()).isEqualTo(3);
        assertThat(level.json().at("/operator/role").asText()).isEqualTo("Admin");
        assertThat(mc.send("PATCH", "/api/servers/it-players/ops/Nobody", Map.of("level", 3)).json())
                .isEqualTo(json("{\"error\":\"NotFound\",\"message\":\"Operator 'Nobody' not found\"}"));
        assertValidation(mc.send("PATCH", "/api/servers/it-players/ops/Alex", Map.of("level", 0)), "level");
        assertThat(mc.post("/api/servers/it-players/ops", Map.of("player", "Temp")).json().at("/operator/level").asInt())
                .as("level 4 by default").isEqualTo(4);
        assertThat(mc.delete("/api/servers/it-players/ops/Temp").json().get("source").asText()).isEqualTo("file");
        assertThat(mc.get("/api/servers/it-players/ops").json()).isEqualTo(json("{\"operators\":[{\"name\":\"Alex\","
                + "\"uuid\":\"" + offline("Alex") + "\",\"level\":3,\"role\":\"Admin\",\"bypassesPlayerLimit\":false}],"
                + "\"count\":1,\"source\":\"file\"}"));

        assertThat(mc.post("/api/servers/it-players/bans", Map.of("player", "Griefer", "reason", "griefing the spawn")).json())
                .isEqualTo(json("{\"success\":true,\"message\":\"Banned Griefer: griefing the spawn\",\"source\":\"file\"}"));
        assertThat(mc.post("/api/servers/it-players/bans", Map.of("player", "Gone")).status()).isEqualTo(200);
        assertThat(mc.delete("/api/servers/it-players/bans/Gone").json())
                .isEqualTo(json("{\"success\":true,\"message\":\"Unbanned Gone\",\"source\":\"file\"}"));
        JsonNode bans = mc.get("/api/servers/it-players/bans").json();
        assertThat(bans.get("total").asInt()).isEqualTo(1);
        assertThat(bans.get("source").asText()).isEqualTo("file");
        JsonNode ban = bans.at("/players/0");
        assertThat(ban.properties()).extracting(Map.Entry::getKey)
                .containsExactly("name", "uuid", "reason", "created", "source", "expires");
        assertThat(ban.get("name").asText()).isEqualTo("Griefer");
        assertThat(ban.get("reason").asText()).isEqualTo("griefing the spawn");
        assertThat(ban.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000");
        assertThat(ban.get("expires").asText()).isEqualTo("forever");

        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".lightd-tmp-")).toList())
                    .as("no temporary file left").isEmpty();
        }
    }

    @Test
    @Order(3)
    void theServerReadsTheFilesAtStartAndARunningServerIsChangedOverRcon() throws Exception {
        assertThat(mc.post("/api/servers/it-players/start", null).status()).isEqualTo(200);
        exec("list"); // waits for RCON: the server has read and written its files by then
        assertThat(Files.readString(folder.resolve("server.properties"))).contains("white-list=true", "online-mode=false");
        assertThat(exec("fake-join Steve")).isEqualTo("Steve joined the game");
        assertThat(exec("fake-join Nobody")).as("whitelist applied from the file").isEqualTo("You are not white-listed on this server!");
        assertThat(exec("fake-join Griefer")).as("ban applied from the file").isEqualTo("You are banned from this server.");

        assertThat(mc.post("/api/servers/it-players/whitelist", Map.of("player", "Bob")).json())
                .isEqualTo(json("{\"success\":true,\"message\":\"Added Bob to the whitelist\",\"source\":\"rcon\"}"));
        assertThat(mc.get("/api/servers/it-players/whitelist").json().get("players")).isEqualTo(json(
                "[{\"name\":\"Steve\",\"uuid\":\"" + STEVE + "\"},{\"name\":\"Bob\",\"uuid\":\"" + offline("Bob") + "\"}]"));
        assertThat(mc.delete("/api/servers/it-players/whitelist/Steve").json())
                .isEqualTo(json("{\"success\":true,\"message\":\"Removed Steve from the whitelist\",\"source\":\"rcon\"}"));
        assertThat(mc.get("/api/servers/it-players/whitelist").json().get("total").asInt()).isEqualTo(1);

        var op = mc.post("/api/servers/it-players/ops", Map.of("player", "Bob"));
        assertThat(op.json()).isEqualTo(json("{\"success\":true,\"operator\":{\"name\":\"Bob\",\"uuid\":\"" + offline("Bob")
                + "\",\"level\":4,\"role\":\"Owner\",\"bypassesPlayerLimit\":false},"
                + "\"message\":\"Made Bob a server operator (level 4)\",\"source\":\"rcon\"}"));
        var level2 = mc.post("/api/servers/it-players/ops", Map.of("player", "Carl", "level", 2));
        assertThat(level2.status()).isEqualTo(409);
        assertThat(level2.json().get("message").asText()).contains("stop the server");
        assertThat(mc.send("PATCH", "/api/servers/it-players/ops/Alex", Map.of("level", 1)).status()).isEqualTo(409);
        assertThat(mc.delete("/api/servers/it-players/ops/Alex").json()).isEqualTo(json(
                "{\"success\":true,\"message\":\"Made Alex no longer a server operator\",\"source\":\"rcon\"}"));
        assertThat(mc.get("/api/servers/it-players/ops").json().get("operators")).extracting(n -> n.get("name").asText())
                .containsExactly("Bob");

        assertThat(mc.post("/api/servers/it-players/bans", Map.of("player", "Evil", "reason", "spam: 3 times!")).json())
                .isEqualTo(json("{\"success\":true,\"message\":\"Banned Evil: spam: 3 times!\",\"source\":\"rcon\"}"));
        JsonNode bans = mc.get("/api/servers/it-players/bans").json();
        assertThat(bans.get("players")).extracting(n -> n.get("name").asText()).containsExactly("Griefer", "Evil");
        assertThat(bans.at("/players/1/source").asText()).isEqualTo("Rcon");
        assertThat(mc.delete("/api/servers/it-players/bans/Griefer").json())
                .isEqualTo(json("{\"success\":true,\"message\":\"Unbanned Griefer\",\"source\":\"rcon\"}"));

        assertThat(mc.put("/api/servers/it-players/whitelist/status", Map.of("enabled", false)).json())
                .isEqualTo(json("{\"enabled\":false,\"source\":\"config\"}"));
        assertThat(Files.readString(folder.resolve("server.properties"))).as("vanilla saves the switch").contains("white-list=false");
        assertThat(exec("fake-join Nobody")).isEqualTo("Nobody joined the game");
        assertThat(daemon.log()).doesNotContain("event=mcctl_request_crashed");
    }

    @Test
    @Order(4)
    void aViewerMayReadTheListsButNotChangeThem() {
        ApiClient viewer = mc.withHeader("X-User", "watcher").withHeader("X-Role", "viewer");
        assertThat(viewer.get("/api/servers/it-players/whitelist").status()).isEqualTo(200);
        assertThat(viewer.get("/api/servers/it-players/ops").status()).isEqualTo(200);
        assertThat(viewer.get("/api/servers/it-players/bans").status()).isEqualTo(200);
        for (var res : new ApiClient.Response[] {
                viewer.post("/api/servers/it-players/whitelist", Map.of("player", "Mallory")),
                viewer.delete("/api/servers/it-players/whitelist/Bob"),
                viewer.put("/api/servers/it-players/whitelist/status", Map.of("enabled", true)),
                viewer.post("/api/servers/it-players/ops", Map.of("player", "Mallory")),
                viewer.send("PATCH", "/api/servers/it-players/ops/Bob", Map.of("level", 1)),
                viewer.delete("/api/servers/it-players/ops/Bob"),
                viewer.post("/api/servers/it-players/bans", Map.of("player", "Bob")),
                viewer.delete("/api/servers/it-players/bans/Evil")}) {
            assertThat(res.status()).as(res.toString()).isEqualTo(403);
            assertThat(res.json().get("error").asText()).isEqualTo("ForbiddenError");
        }
        assertThat(mc.get("/api/servers/it-players/ops").json().get("count").asInt()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void afterAStopTheServersOwnWritesAreTheFiles() throws Exception {
        assertThat(mc.post("/api/servers/it-players/stop", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> mc.get("/api/servers/it-players").json()
                .at("/server/status").asText(), s -> !s.equals("running"));
        assertThat(mc.get("/api/servers/it-players/whitelist").json().get("players"))
                .isEqualTo(json("[{\"name\":\"Bob\",\"uuid\":\"" + offline("Bob") + "\"}]"));
        assertThat(mc.delete("/api/servers/it-players/bans/Evil").json().get("source").asText()).isEqualTo("file");
        assertThat(mc.delete("/api/servers/it-players/ops/Bob").json().get("source").asText()).isEqualTo("file");
        assertThat(json(Files.readString(folder.resolve("ops.json")))).isEqualTo(json("[]"));
        assertThat(json(Files.readString(folder.resolve("banned-players.json")))).isEqualTo(json("[]"));
    }

    private static String exec(String command) {
        return mc.post("/api/servers/it-players/exec", Map.of("command", command)).json().get("output").asText();
    }

    static String offline(String name) {
        return UUID.nameUUIDFromBytes(("OfflinePlayer:" + name).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    static void assertValidation(ApiClient.Response res, String field) {
        assertThat(res.status()).as(res.toString()).isEqualTo(400);
        assertThat(res.json().properties()).extracting(Map.Entry::getKey).containsExactly("error", "message");
        assertThat(res.json().get("error").asText()).isEqualTo("ValidationError");
        assertThat(res.json().get("message").asText()).contains("(field '" + field + "')")
                .doesNotContain("\n", "\r");
    }
}
