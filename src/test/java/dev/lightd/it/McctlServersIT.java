package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import java.io.InputStream;

/** The mcctl face on the real engine with the Minecraft stand-in: servers, RCON, logs over SSE, worlds. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McctlServersIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults()
            .withConfig(cfg -> ((ObjectNode) cfg.putObject("mcctl"))
                    .put("heartbeat_seconds", 1).put("stop_timeout_seconds", 20))
            .withMcStandinImage().withMcctlKey("tests");
    static ApiClient mc;
    static String key;

    @BeforeAll
    static void apiKey() {
        key = daemon.mcctlKey();
        assertThat(key).matches("mctk_[0-9a-f]{48}");
        mc = daemon.mcctl(key);
    }

    @Test
    @Order(1)
    void healthIsPublicAndKeysAreChecked() {
        var health = daemon.mcctl(null).get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().properties()).extracting(Map.Entry::getKey).containsExactly("status", "timestamp");
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        assertThat(health.json().get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(daemon.mcctl(null).send("HEAD", "/health", null).status()).as("HEAD probe").isEqualTo(200);

        var none = daemon.mcctl(null).get("/api/servers");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json()).isEqualTo(json(
                "{\"error\":\"AuthenticationError\",\"message\":\"Missing API key (X-API-Key header)\"}"));
        var wrong = daemon.mcctl("mctk_000000000000000000000000000000000000000000000000").get("/api/servers");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json()).isEqualTo(json("{\"error\":\"AuthenticationError\",\"message\":\"Invalid API key\"}"));
        assertThat(mc.get("/api/servers").json()).isEqualTo(json("{\"servers\":[],\"total\":0}"));
    }

    @Test
    @Order(2)
    void serverLifecycleWithRconPlayersAndLogs() throws Exception {
        var created = mc.post("/api/servers", Map.of("name", "it-survival", "type", "PAPER", "version", "1.21.1", "memory", "4G"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(DockerCli.inspect("mc-it-survival", "{{range .Config.Env}}{{println .}}{{end}}"))
                .contains("EULA=TRUE", "TYPE=PAPER", "VERSION=1.21.1", "MEMORY=4G", "LEVEL=it-survival", "ENABLE_RCON=true",
                        "RCON_PORT=25575").containsPattern("RCON_PASSWORD=[0-9a-f]{32}");
        assertThat(DockerCli.inspect("mc-it-survival", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}"))
                .isEqualTo((5L << 30) + " " + (5L << 30)); // 4G heap plus a quarter for the JVM, no swap
        assertThat(DockerCli.inspect("mc-it-survival", "{{json .HostConfig.PortBindings}}"))
                .matches("\\{\"25575/tcp\":\\[\\{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\\d+\"}]}");

        var start = mc.post("/api/servers/it-survival/start", null);
        assertThat(start.status()).isEqualTo(200);
        assertAction(start.json(), "it-survival", "start", "Server started successfully");

        JsonNode listed = await().atMost(Duration.ofSeconds(60)).until(() -> mc.get("/api/servers").json(),
                j -> j.at("/servers/0/health").asText().equals("healthy"));
        assertThat(listed.get("total").asInt()).isEqualTo(1);
        JsonNode s = listed.at("/servers/0");
        assertThat(s.properties()).extracting(Map.Entry::getKey)
                .containsExactly("name", "container", "status", "health", "hostname");
        assertThat(s.get("name").asText()).isEqualTo("it-survival");
        assertThat(s.get("container").asText()).isEqualTo("mc-it-survival");
        assertThat(s.get("status").asText()).isEqualTo("running");
        assertThat(s.get("hostname").asText()).matches("it-survival\\.\\d+\\.\\d+\\.\\d+\\.\\d+\\.nip\\.io");
        String hostname = s.get("hostname").asText();
        // the console's server page asks for them; custom ones need the router (not yet)
        assertThat(mc.get("/api/servers/it-survival/hostnames").json()).isEqualTo(json("{\"serverName\":\"it-survival\","
                + "\"hostnames\":[\"" + hostname + "\"],\"systemHostnames\":[{\"hostname\":\"" + hostname
                + "\",\"type\":\"system\",\"description\":\"nip.io\"}],\"customHostnames\":[]}"));
        assertThat(mc.get("/api/servers/no-such/hostnames").status()).isEqualTo(404);

        var exec = mc.post("/api/servers/it-survival/exec", Map.of("command", "list"));
        assertThat(exec.json()).isEqualTo(json("{\"success\":true,\"output\":\"There are 0 of a max of 20 players online: \"}"));
        mc.post("/api/servers/it-survival/exec", Map.of("command", "fake-join Player1"));
        mc.post("/api/servers/mc-it-survival/exec", Map.of("command", "fake-join Player2"));
        JsonNode detail = await().atMost(Duration.ofSeconds(30)).until(() -> mc.get("/api/servers/it-survival").json(),
                j -> j.at("/server/players/online").asInt() == 2 && j.at("/server/players/max").asInt() == 20).get("server");
        assertThat(detail.properties()).extracting(Map.Entry::getKey).startsWith("name", "container", "status", "health",
                "hostname", "type", "version", "memory", "uptime", "uptimeSeconds", "players", "stats", "worldName", "worldSize");
        assertThat(detail.get("type").asText()).isEqualTo("PAPER");
        assertThat(detail.get("version").asText()).isEqualTo("1.21.1");
        assertThat(detail.get("memory").asText()).isEqualTo("4G");
        assertThat(detail.get("uptime").asText()).matches("(\\d+d )?(\\d+h )?\\d+m");
        assertThat(detail.at("/players/max").asInt()).isEqualTo(20);
        assertThat(detail.at("/players/list")).isEqualTo(json("[\"Player1\",\"Player2\"]"));
        assertThat(detail.at("/stats/cpu").asText()).matches("\\d+\\.\\d%");
        assertThat(detail.at("/stats/memory").asText()).matches("[\\d.]+[KMGT]?B / [\\d.]+[KMGT]?B");
        assertThat(detail.get("worldName").asText()).isEqualTo("it-survival");

        var help = mc.post("/servers/it-survival/console/exec", Map.of("command", "help"));
        assertThat(help.json().properties()).extracting(Map.Entry::getKey).containsExactly("output", "exitCode");
        assertThat(help.json().get("output").asText().length()).isGreaterThan(4096);
        assertThat(help.json().get("exitCode").asInt()).isZero();

        var logs = mc.get("/api/servers/it-survival/logs?lines=50");
        assertThat(logs.json().properties()).extracting(Map.Entry::getKey).containsExactly("logs", "lines");
        assertThat(logs.json().get("lines").asInt()).isEqualTo(50);
        assertThat(logs.json().get("logs").asText()).contains("Done (").contains("Player1 joined the game");

        // SSE: new lines, heartbeats, and "closed" when the server stops
        List<String> sse = Collections.synchronizedList(new ArrayList<>());
        Thread reader = SseLines.follow(daemon.mcctlPort(), key, "it-survival", sse);
        await().atMost(Duration.ofSeconds(10)).until(() -> sse.contains(": heartbeat"));
        mc.post("/api/servers/it-survival/exec", Map.of("command", "say hello stream"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sse.stream().anyMatch(l -> l.contains("[Server] hello stream")));
        assertThat(sse.stream().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow())
                .matches("data: \\{\"log\":\".*\"}");
        assertThat(sse).noneMatch(l -> l.startsWith("event:"));

        // paused from outside (docker pause): the status says so, and stop still stops it for real
        assertThat(DockerCli.run("pause", "mc-it-survival")).startsWith("0:");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                mc.get("/api/servers/it-survival").json().at("/server/status").asText().equals("paused"));
        var stop = mc.post("/api/servers/it-survival/stop", null);
        assertAction(stop.json(), "it-survival", "stop", "Server stopped successfully");
        assertThat(DockerCli.inspect("mc-it-survival", "{{.State.Status}}")).isEqualTo("exited");
        await().atMost(Duration.ofSeconds(10)).until(() -> sse.contains("data: {\"event\":\"closed\"}"));
        reader.join(10_000);
        assertThat(Files.exists(daemon.dataDir().resolve("worlds/it-survival/it-survival/level.dat"))
                || Files.exists(daemon.dataDir().resolve("worlds/it-survival/level.dat"))).isTrue();

        JsonNode stopped = await().atMost(Duration.ofSeconds(30)).until(() -> mc.get("/api/servers/it-survival").json(),
                j -> j.at("/server/status").asText().equals("exited")).get("server");
        assertThat(stopped.get("uptimeSeconds").asLong()).isZero();
        assertThat(stopped.at("/players/online").asInt()).isZero();

        var notRunning = mc.post("/api/servers/it-survival/exec", Map.of("command", "list"));
        assertThat(notRunning.status()).isEqualTo(409);
        assertThat(notRunning.json()).isEqualTo(json("{\"error\":\"Conflict\",\"message\":\"Server 'it-survival' is not running\"}"));

        var restart = mc.post("/api/servers/it-survival/restart", null);
        assertAction(restart.json(), "it-survival", "restart", "Server restarted successfully");
        await().atMost(Duration.ofSeconds(60)).until(() -> mc.post("/api/servers/it-survival/exec",
                Map.of("command", "list")).status() == 200);
    }

    @Test
    @Order(3)
    void worldsWithLocks() {
        var creative = mc.post("/api/servers", Map.of("name", "it-creative", "type", "VANILLA", "version", "1.21.1", "memory", "1G"));
        assertThat(creative.status()).isEqualTo(201);

        var world = mc.post("/api/worlds", Map.of("name", "myworld", "seed", "12345", "serverName", "mc-it-creative", "autoStart", false));
        assertThat(world.status()).isEqualTo(201);
        assertThat(world.json()).isEqualTo(json("{\"success\":true,\"worldName\":\"myworld\",\"seed\":\"12345\","
                + "\"serverName\":\"mc-it-creative\",\"started\":false}"));
        assertThat(mc.post("/api/worlds", Map.of("name", "myworld")).status()).isEqualTo(409);

        var conflict = mc.post("/api/worlds/myworld/assign", Map.of("serverName", "mc-it-survival"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json()).isEqualTo(json(
                "{\"error\":\"Conflict\",\"message\":\"World 'myworld' is already locked by mc-it-creative\"}"));

        JsonNode got = mc.get("/api/worlds/myworld").json().get("world");
        assertThat(got.properties()).extracting(Map.Entry::getKey)
                .containsExactly("name", "path", "isLocked", "lockedBy", "size", "lastModified");
        assertThat(got.get("isLocked").asBoolean()).isTrue();
        assertThat(got.get("lockedBy").asText()).isEqualTo("mc-it-creative");
        assertThat(got.get("path").asText()).isEqualTo(daemon.dataDir().resolve("worlds/myworld").toString());
        assertThat(got.get("lastModified").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(mc.get("/api/worlds").json().get("total").asInt()).isEqualTo(3);

        var deleteLocked = mc.delete("/api/worlds/myworld");
        assertThat(deleteLocked.status()).isEqualTo(409);
        assertThat(deleteLocked.json().get("error").asText()).isEqualTo("Conflict");

        var released = mc.post("/api/worlds/myworld/release", null);
        assertThat(released.json()).isEqualTo(json("{\"success\":true,\"worldName\":\"myworld\",\"previousServer\":\"mc-it-creative\"}"));
        // it-survival runs (restarted above) on its own world: assigning it another one keeps the
        // mounted world locked until it stops, and a mounted world is never deleted
        var assigned = mc.post("/api/worlds/myworld/assign", Map.of("serverName", "it-survival"));
        assertThat(assigned.json()).isEqualTo(json("{\"success\":true,\"worldName\":\"myworld\",\"serverName\":\"mc-it-survival\"}"));
        assertThat(mc.get("/api/worlds/it-survival").json().at("/world/lockedBy").asText()).isEqualTo("mc-it-survival");
        assertThat(mc.get("/api/worlds/myworld").json().at("/world/lockedBy").asText()).isEqualTo("mc-it-survival");
        String inUse = "{\"error\":\"Conflict\",\"message\":\"World 'it-survival' is in use by running server mc-it-survival\"}";
        assertThat(mc.delete("/api/worlds/it-survival?force=true").json()).isEqualTo(json(inUse));
        var releaseRunning = mc.post("/api/worlds/it-survival/release", null);
        assertThat(releaseRunning.status()).isEqualTo(409);
        var forced = mc.post("/api/worlds/it-survival/release?force=true", null);
        assertThat(forced.json()).isEqualTo(json("{\"success\":true,\"worldName\":\"it-survival\",\"previousServer\":\"mc-it-survival\"}"));
        var unlockedButMounted = mc.delete("/api/worlds/it-survival");
        assertThat(unlockedButMounted.status()).isEqualTo(409);
        assertThat(unlockedButMounted.json()).isEqualTo(json(inUse));
        assertThat(daemon.dataDir().resolve("worlds/it-survival")).isDirectory();

        // a world for a server that does not exist is not created at all
        var orphan = mc.post("/api/worlds", Map.of("name", "orphan", "serverName", "mc-it-nosuch"));
        assertThat(orphan.json()).isEqualTo(json("{\"error\":\"NotFound\",\"message\":\"Server 'mc-it-nosuch' not found\"}"));
        assertThat(mc.get("/api/worlds/orphan").status()).isEqualTo(404);

        // autoStart starts the server on the new world, with the world's seed
        var seeded = mc.post("/api/worlds", Map.of("name", "seeded", "seed", "777", "serverName", "it-creative", "autoStart", true));
        assertThat(seeded.json()).isEqualTo(json("{\"success\":true,\"worldName\":\"seeded\",\"seed\":\"777\","
                + "\"serverName\":\"mc-it-creative\",\"started\":true}"));
        assertThat(DockerCli.inspect("mc-it-creative", "{{.State.Running}} {{range .Config.Env}}{{println .}}{{end}}"))
                .startsWith("true").contains("LEVEL=seeded", "SEED=777");
        assertThat(mc.post("/api/servers/it-creative/stop", null).status()).isEqualTo(200);

        mc.post("/api/servers/it-survival/stop", null);
        var deleted = mc.delete("/api/worlds/myworld?force=true");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().get("worldName").asText()).isEqualTo("myworld");
        assertThat(deleted.json().get("size").asText()).matches("\\d+(\\.\\d)? (B|KB|MB|GB)");
        assertThat(Files.exists(daemon.dataDir().resolve("worlds/myworld"))).isFalse();
        assertThat(mc.get("/api/worlds/myworld").json()).isEqualTo(json(
                "{\"error\":\"NotFound\",\"message\":\"World 'myworld' not found\"}"));
    }

    /** mcctl-console offers Start only for stopped, exited and not_created: a never-started server must be one. */
    @Test
    @Order(6)
    void aServerNeverStartedReportsStoppedInTheListTheDetailAndTheStream() {
        assertThat(mc.post("/api/servers", Map.of("name", "it-fresh")).status()).isEqualTo(201);
        assertThat(mc.get("/api/servers/it-fresh").json().at("/server/status").asText()).isEqualTo("stopped");
        assertThat(mc.get("/api/servers").json().get("servers").findValues("name").stream()
                .map(JsonNode::asText).toList()).contains("it-fresh");
        for (JsonNode s : mc.get("/api/servers").json().get("servers")) {
            if (s.get("name").asText().equals("it-fresh")) {
                assertThat(s.get("status").asText()).isEqualTo("stopped");
            }
        }
        assertThat(mc.get("/api/servers/it-fresh/status").json().at("/data/status").asText()).isEqualTo("stopped");
        assertThat(mc.delete("/api/servers/it-fresh").status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void badNamesAndUnknownServers() {
        var bad = mc.post("/api/servers", Map.of("name", "Bad Name!"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("ValidationError");
        var badMemory = mc.post("/api/servers", Map.of("name", "tiny", "memory", "lots"));
        assertThat(badMemory.status()).isEqualTo(400);
        assertThat(badMemory.json()).isEqualTo(json("{\"error\":\"ValidationError\",\"message\":"
                + "\"Invalid memory 'lots': use megabytes or gigabytes such as 1024M or 4G (at least 256M)\"}"));
        assertThat(mc.get("/api/servers/tiny").status()).isEqualTo(404);
        assertThat(Files.exists(daemon.dataDir().resolve("worlds/tiny"))).isFalse();
        assertThat(mc.get("/api/servers/" + "x".repeat(33)).json().get("error").asText()).isEqualTo("ValidationError");
        assertThat(mc.get("/api/servers/nosuch").json()).isEqualTo(json(
                "{\"error\":\"NotFound\",\"message\":\"Server 'nosuch' not found\"}"));
        assertThat(mc.post("/api/servers/it-survival/exec", "{bad json").json().get("error").asText()).isEqualTo("ValidationError");
        assertThat(mc.post("/api/worlds", Map.of("name", "../etc")).json().get("error").asText()).isEqualTo("ValidationError");
        assertThat(mc.delete("/api/servers/it-survival/start").json()).isEqualTo(json(
                "{\"error\":\"NotFound\",\"message\":\"Route DELETE /api/servers/it-survival/start not found\"}"));
        var trailing = mc.post("/api/servers/it-survival/exec", "{\"command\":\"list\"} trailing");
        assertThat(trailing.status()).isEqualTo(400);
        assertThat(trailing.json().get("error").asText()).isEqualTo("ValidationError");
        assertThat(mc.post("/api/servers/it-survival/exec", Map.of("command", "say " + "x".repeat(1443))).json())
                .isEqualTo(json("{\"error\":\"ValidationError\",\"message\":\"Command too long: RCON takes at most 1446 bytes\"}"));
        var gone = mc.get("/api/nothing/here");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("error").asText()).isEqualTo("NotFound");
    }

    @Test
    @Order(5)
    void statusStreamsForTheWebConsole() throws Exception {
        var all = mc.get("/api/servers-status").json();
        assertThat(all.get("servers").findValuesAsText("type")).containsOnly("server-status");
        JsonNode one = mc.get("/api/servers/it-survival/status").json();
        assertThat(one.get("type").asText()).isEqualTo("server-status");
        assertThat(one.get("data").properties()).extracting(Map.Entry::getKey)
                .containsExactly("serverName", "status", "health", "timestamp");
        assertThat(one.at("/data/serverName").asText()).isEqualTo("it-survival");

        HttpResponse<InputStream> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + daemon.mcctlPort() + "/api/servers-status?follow=true&api_key=" + key)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body()))) {
            String first = r.readLine();
            assertThat(first).startsWith("data: {\"type\":\"server-status\",\"data\":{\"serverName\":");
        }
        assertThat(mc.get("/api/servers/nosuch/status").status()).isEqualTo(404);
    }

    private static void assertAction(JsonNode j, String server, String action, String message) {
        assertThat(j.properties()).extracting(Map.Entry::getKey)
                .containsExactly("success", "server", "action", "timestamp", "message");
        assertThat(j.get("success").asBoolean()).isTrue();
        assertThat(j.get("server").asText()).isEqualTo(server);
        assertThat(j.get("action").asText()).isEqualTo(action);
        assertThat(j.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(j.get("message").asText()).isEqualTo(message);
    }
}
