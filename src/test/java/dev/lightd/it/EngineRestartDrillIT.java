package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.lightd.it.ConsoleClient.consoleContains;
import static dev.lightd.it.ConsoleClient.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine restarts ten times in a row under three panel containers and two Minecraft servers
 * (dockerd stopped with SIGTERM, which stops every container, then started again). Afterwards every
 * one runs, its console is followed and streams, none was given up as a crash loop (an engine
 * shutdown is not a crash), and the engine holds exactly the containers the daemon knows.
 */
@Tag("engine-outage")
class EngineRestartDrillIT {

    /** Leaves at once on SIGTERM, as a game server that saves and exits does; echoes stdin. */
    static final String TERM_AWARE = "trap 'echo bye; exit 0' TERM; echo up; while read l; do echo \"got $l\"; done";
    static final List<String> CONTAINERS = List.of("it-drill-1", "it-drill-2", "it-drill-3");
    static final List<String> SERVERS = List.of("it-drill-a", "it-drill-b");
    static final int CYCLES = 10;

    @Test
    void tenEngineRestartsLoseNothing() throws Exception {
        TestImages.ensureBuilt();
        String mcImage = McStandinImage.ensureBuilt();
        try (DaemonProcess daemon = DaemonProcess.start(cfg -> cfg.putObject("mcctl").put("image", mcImage))) {
            ApiClient api = daemon.api();
            String key = daemon.cli("", "mcctl", "key", "create");
            ApiClient mc = daemon.mcctl(key);
            String volume = api.post("/volumes", null).json().get("volume_id").asText();
            for (String id : CONTAINERS) {
                api.post("/containers", Map.of("internal_id", id, "image", TestImages.BUSYBOX, "volume_id", volume,
                        "startup_command", TERM_AWARE, "restart_on_crash", true,
                        "limits", Map.of("memory", 67108864, "cpu", 0.5)));
            }
            for (String id : CONTAINERS) {
                await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(
                        api.get("/containers/" + id).json().path("install_state").asText()));
                assertThat(api.post("/containers/" + id + "/start", null).status()).isEqualTo(200);
            }
            for (String name : SERVERS) {
                var created = mc.post("/api/servers", Map.of("name", name, "autoStart", true));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
            }
            awaitEverythingRunning(api, mc);

            long began = System.nanoTime();
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                EngineOutageIT.stopDockerd();
                EngineOutageIT.startDockerd();
                awaitEverythingRunning(api, mc);
            }
            System.out.printf("EngineRestartDrillIT: %d engine restarts and recoveries took %d s%n", CYCLES,
                    Duration.ofNanos(System.nanoTime() - began).toSeconds());

            for (String id : CONTAINERS) {
                JsonNode c = api.get("/containers/" + id).json();
                assertThat(c.get("state").asText()).as(id).isEqualTo("running");
                assertThat(c.path("daemon_message").asText("")).as(id).doesNotContain("Crash loop")
                        .doesNotContain("exited unexpectedly");
                try (ConsoleClient console = new ConsoleClient(daemon, id, daemon.token())) {
                    console.await("history", event("logs", null));
                    console.send("{\"event\":\"send_command\",\"data\":\"ping " + id + "\"}");
                    console.await("echo of " + id, consoleContains("got ping " + id));
                }
            }
            for (String name : SERVERS) {
                assertThat(mc.get("/api/servers/" + name).json().at("/server/status").asText()).isEqualTo("running");
                List<String> lines = Collections.synchronizedList(new ArrayList<>());
                Thread reader = SseLines.follow(daemon.mcctlPort(), key, name, lines);
                await().atMost(Duration.ofSeconds(10)).until(() -> !lines.isEmpty());
                assertThat(mc.post("/api/servers/" + name + "/exec", Map.of("command", "fake-join Drill")).status())
                        .isEqualTo(200);
                await().alias("SSE of " + name).atMost(Duration.ofSeconds(10))
                        .until(() -> String.join("\n", lines).contains("Drill joined the game"));
                reader.interrupt();
            }

            // the engine holds exactly what the store knows, all running
            Set<String> expected = new TreeSet<>();
            CONTAINERS.forEach(id -> expected.add("lightd-" + id));
            SERVERS.forEach(name -> expected.add("mc-" + name));
            assertThat(engineContainers("{{.Names}}")).isEqualTo(expected);
            assertThat(engineContainers("{{.Names}} {{.State}}")).allMatch(line -> line.endsWith(" running"));

            for (String id : CONTAINERS) {
                assertThat(api.delete("/containers/" + id).status()).isEqualTo(200);
            }
            for (String name : SERVERS) {
                assertThat(mc.delete("/api/servers/" + name + "?force=true").status()).isEqualTo(200);
            }
            assertThat(engineContainers("{{.Names}}")).isEmpty();
        }
    }

    private static void awaitEverythingRunning(ApiClient api, ApiClient mc) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (String id : CONTAINERS) {
                assertThat(api.get("/containers/" + id).json().path("state").asText()).as(id).isEqualTo("running");
            }
            for (String name : SERVERS) {
                assertThat(mc.post("/api/servers/" + name + "/exec", Map.of("command", "list")).status())
                        .as("RCON of " + name).isEqualTo(200);
            }
        });
    }

    /** Names (or another Go template) of the engine's containers of this test, running or not. */
    private static Set<String> engineContainers(String format) {
        String out = DockerCli.run("ps", "-a", "--filter", "name=it-drill-", "--format", format);
        assertThat(out).startsWith("0:");
        Set<String> lines = new TreeSet<>(Arrays.asList(out.substring(2).strip().split("\n")));
        lines.remove("");
        return lines;
    }
}
