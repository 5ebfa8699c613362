package dev.lightd.it;

import dev.lightd.TestPorts;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.lightd.it.ApiClient.json;
import static dev.lightd.it.ConsoleClient.consoleContains;
import static dev.lightd.it.ConsoleClient.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import java.util.HashMap;

/**
 * The whole life of a game server container on the real engine, through the real HTTP and
 * WebSocket endpoints: create, install, start, console in and out, stop, kill, restart, rebind,
 * reinstall, delete.
 */
class ContainerLifecycleIT {

    /** Prints the start line the pattern waits for, echoes each stdin line back, exits on "stop". */
    static final String ECHO_SERVER = "echo \"[Server] Starting\"; sleep 0.2; echo 'Done (0.2s)! For help, type \"help\"';"
            + " while read l; do [ \"$l\" = stop ] && echo 'Stopping server' && exit 0; echo \"got $l\"; done";

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages().withVolume();
    static final ApiClient api = daemon.api();
    static String volumeId;
    static Path volume;
    static int port1;
    static int port2;

    @BeforeAll
    static void volumeAndPorts() throws Exception {
        volumeId = daemon.volume().id();
        volume = daemon.volume().path();
        port1 = TestPorts.free();
        port2 = TestPorts.free();
        for (int p : new int[] {port1, port2}) {
            api.post("/network/ports", Map.of("ip", "127.0.0.1", "port", p, "protocol", "tcp"));
        }
    }

    static Map<String, Object> request(String id, String script, int port) {
        return Map.of(
                "stop_command", "stop",
                "internal_id", id,
                "image", TestImages.BUSYBOX,
                "volume_id", volumeId,
                "startup_command", ECHO_SERVER,
                "start_pattern", "Done.*For help",
                "ports", port == 0 ? List.of() : List.of(Map.of("ip", "127.0.0.1", "port", port, "protocol", "tcp")),
                "limits", Map.of("memory", 134217728, "cpu", 1.0),
                "install_script", script);
    }

    static JsonNode awaitInstall(String id, String state) {
        return await().alias(id + " " + state).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/containers/" + id).json(), j -> state.equals(j.path("install_state").asText()));
    }

    static JsonNode awaitPower(String id, String state) {
        return await().alias(id + " " + state).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/containers/" + id).json(), j -> state.equals(j.path("state").asText()));
    }

    @Test
    void wholeLifecycle() throws Exception {
        var created = api.post("/containers", request("it-mc-001",
                "#!/bin/sh\necho installing files\necho hello > /home/container/installed.txt\n", port1));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json()).isEqualTo(json(
                "{\"message\":\"Container creation started\",\"internal_id\":\"it-mc-001\",\"state\":\"installing\"}"));

        JsonNode ready = awaitInstall("it-mc-001", "ready");
        assertThat(Files.readString(volume.resolve("installed.txt"))).isEqualTo("hello\n");
        String engineId = ready.get("container_id").asText();
        assertThat(engineId).matches("[0-9a-f]{64}");
        assertThat(ready.get("created_at").asLong()).isPositive();
        assertThat(ready.get("updated_at").asLong()).isGreaterThanOrEqualTo(ready.get("created_at").asLong());
        assertThat(ready.properties()).extracting(Map.Entry::getKey).startsWith("internal_id", "container_id",
                "volume_id", "image", "startup_command", "start_pattern", "install_state", "ports", "limits", "mount",
                "created_at", "updated_at");
        assertThat(ready.get("volume_id").asText()).isEqualTo(volumeId);
        assertThat(ready.get("image").asText()).isEqualTo(TestImages.BUSYBOX);
        assertThat(ready.get("ports")).isEqualTo(json("[{\"ip\":\"127.0.0.1\",\"port\":" + port1 + ",\"protocol\":\"tcp\"}]"));
        assertThat(ready.get("limits")).isEqualTo(json("{\"memory\":134217728,\"cpu\":1.0}"));
        assertThat(ready.get("mount")).isEqualTo(json("{}"));
        assertThat(ready.get("state").asText()).isEqualTo("offline");
        assertThat(api.get("/network/ports/127.0.0.1/" + port1).json().get("in_use").asBoolean()).isTrue();

        var list = api.get("/containers").json().get("containers");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("internal_id").asText()).isEqualTo("it-mc-001");
        assertThat(list.get(0).get("container_id").asText()).isEqualTo(engineId);
        assertThat(list.get(0).get("install_state").asText()).isEqualTo("ready");
        assertThat(list.get(0).get("image").asText()).isEqualTo(TestImages.BUSYBOX);

        // what the engine was told
        assertThat(DockerCli.inspect("lightd-it-mc-001", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}}"))
                .isEqualTo("134217728 134217728 1000000000");
        assertThat(DockerCli.inspect("lightd-it-mc-001", "{{json .HostConfig.PortBindings}}"))
                .isEqualTo("{\"" + port1 + "/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"" + port1 + "\"}]}");
        assertThat(DockerCli.inspect("lightd-it-mc-001", "{{index .Config.Labels \"managed-by\"}} {{.HostConfig.NetworkMode}}"))
                .isEqualTo("lightd lightd_network");
        assertThat(DockerCli.inspect("lightd-it-mc-001", "{{range .Mounts}}{{.Source}}:{{.Destination}}{{end}}"))
                .isEqualTo(volume + ":/home/container");
        assertThat(DockerCli.inspect("lightd-it-mc-001", "{{.Config.OpenStdin}} {{.Config.WorkingDir}}"))
                .isEqualTo("true /home/container");

        try (ConsoleClient console = new ConsoleClient(daemon, "it-mc-001", daemon.token())) {
            JsonNode logs = console.await("history", event("logs", null));
            assertThat(logs.get("data").asText()).contains("installing files");

            assertThat(api.post("/containers/it-mc-001/start", null).json())
                    .isEqualTo(json("{\"message\":\"Container start initiated\",\"internal_id\":\"it-mc-001\"}"));
            console.await("running", event("event", "running"));
            assertThat(console.states()).containsSubsequence("starting", "running");
            console.await("start line", consoleContains("Done (0.2s)! For help"));
            assertThat(awaitPower("it-mc-001", "running").get("state").asText()).isEqualTo("running");

            console.send("{\"event\":\"send_command\",\"data\":\"say hi\"}");
            console.await("echo", consoleContains("got say hi"));
            console.send("{\"send_command\":[\"say again\\n\"]}");
            console.await("echo 2", consoleContains("got say again"));
            assertThat(console.frames().stream().filter(consoleContains("got say again")).findFirst().orElseThrow()
                    .get("data").asText()).isEqualTo("got say again\n");

            JsonNode stats = console.await("stats", event("stats", null));
            assertThat(stats.properties()).extracting(Map.Entry::getKey).containsExactly("event", "cpu_usage",
                    "memory_usage", "memory_limit", "network_rx", "network_tx", "block_read", "block_write");
            assertThat(stats.get("memory_limit").asLong()).isEqualTo(134217728L);
            assertThat(stats.get("memory_usage").asLong()).isPositive();

            console.send("not json");
            console.await("error event", event("error", "Invalid frame: not JSON"));

            console.clear();
            assertThat(api.post("/containers/it-mc-001/stop", null).status()).isEqualTo(200);
            console.await("exit", event("event", "exit"));
            console.await("graceful stop", consoleContains("Stopping server"));
            awaitPower("it-mc-001", "offline");
            assertThat(DockerCli.inspect("lightd-it-mc-001", "{{.State.ExitCode}}")).isEqualTo("0");

            console.clear();
            console.send("{\"event\":\"power\",\"data\":\"start\"}");
            console.await("running again", event("event", "running"));
            assertThat(api.post("/containers/it-mc-001/kill", null).json())
                    .isEqualTo(json("{\"message\":\"Container kill initiated\",\"internal_id\":\"it-mc-001\"}"));
            console.await("killed", event("event", "exit"));
            awaitPower("it-mc-001", "offline");
            assertThat(DockerCli.inspect("lightd-it-mc-001", "{{.State.ExitCode}}")).isEqualTo("137");

            console.clear();
            api.post("/containers/it-mc-001/start", null);
            console.await("running 3", event("event", "running"));
            console.clear();
            assertThat(api.post("/containers/it-mc-001/restart", null).json())
                    .isEqualTo(json("{\"message\":\"Container restart initiated\",\"internal_id\":\"it-mc-001\"}"));
            console.await("restarted", event("event", "running"));
            assertThat(console.states()).containsSubsequence("exit", "starting", "running");
        }

        // rebind while running: new binding, old port freed, still running
        var rebind = api.post("/containers/it-mc-001/rebind-network",
                Map.of("ports", List.of(Map.of("ip", "127.0.0.1", "port", port2, "protocol", "tcp"))));
        assertThat(rebind.json()).isEqualTo(json("{\"message\":\"Network rebinding started\",\"internal_id\":\"it-mc-001\"}"));
        await().atMost(Duration.ofSeconds(60)).until(() -> DockerCli.run("inspect", "-f", "{{json .HostConfig.PortBindings}}",
                "lightd-it-mc-001").contains("\"HostPort\":\"" + port2 + "\""));
        awaitPower("it-mc-001", "running");
        assertThat(api.get("/network/ports/127.0.0.1/" + port1).json().get("in_use").asBoolean()).isFalse();
        assertThat(api.get("/network/ports/127.0.0.1/" + port2).json().get("in_use").asBoolean()).isTrue();
        assertThat(api.get("/containers/it-mc-001").json().get("ports"))
                .isEqualTo(json("[{\"ip\":\"127.0.0.1\",\"port\":" + port2 + ",\"protocol\":\"tcp\"}]"));

        // reinstall with a new script on the same volume
        var reinstall = api.post("/containers/it-mc-001/reinstall",
                Map.of("image", TestImages.BUSYBOX, "install_script", "echo again > /home/container/again.txt"));
        assertThat(reinstall.json()).isEqualTo(json("{\"message\":\"Container reinstall started\",\"internal_id\":\"it-mc-001\"}"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(volume.resolve("again.txt")));
        awaitInstall("it-mc-001", "ready");
        assertThat(api.get("/containers/it-mc-001").json().get("state").asText()).isEqualTo("offline");

        // delete: engine container gone, ports free, volume kept
        assertThat(api.delete("/containers/it-mc-001").json()).isEqualTo(json("{\"message\":\"Container deleted successfully\"}"));
        assertThat(DockerCli.exists("lightd-it-mc-001")).isFalse();
        assertThat(api.get("/network/ports/127.0.0.1/" + port2).json().get("in_use").asBoolean()).isFalse();
        assertThat(api.get("/containers/it-mc-001").json()).isEqualTo(json("{\"error\":\"Container not found\"}"));
        assertThat(Files.exists(volume.resolve("installed.txt"))).isTrue();
    }

    @Test
    void failedInstallSaysTheExitCode() {
        api.post("/containers", request("it-bad-install", "echo about to fail\nexit 3\n", 0));
        JsonNode failed = awaitInstall("it-bad-install", "failed");
        assertThat(failed.get("daemon_message").asText()).isEqualTo("Install script exited with code 3");
        var start = api.post("/containers/it-bad-install/start", null);
        assertThat(start.status()).isEqualTo(400);
        api.delete("/containers/it-bad-install");
    }

    @Test
    void bashShebangRunsUnderBash() throws Exception {
        var req = new HashMap<>(request("it-bash-install",
                "#!/bin/bash\necho \"shell=${BASH_VERSION:+bash}\" > /home/container/shell.txt\n", 0));
        req.put("image", TestImages.BASH);
        api.post("/containers", req);
        awaitInstall("it-bash-install", "ready");
        assertThat(Files.readString(volume.resolve("shell.txt"))).isEqualTo("shell=bash\n");
        api.delete("/containers/it-bash-install");
    }

    @Test
    void missingImageFailsTheInstall() {
        var req = new HashMap<>(request("it-no-image", "echo hi", 0));
        req.put("image", "lightd-test/does-not-exist:1");
        api.post("/containers", req);
        JsonNode failed = awaitInstall("it-no-image", "failed");
        assertThat(failed.get("daemon_message").asText()).isEqualTo("Failed to create Docker container: image not found");
        api.delete("/containers/it-no-image");
    }

    @Test
    void refusedRequestsChangeNothing() {
        var notInPool = api.post("/containers", request("x1", "", 1));
        assertThat(notInPool.status()).isEqualTo(400);
        assertThat(notInPool.json()).isEqualTo(json("{\"error\":\"Invalid port binding: port not in network pool\"}"));

        var req = new HashMap<>(request("x2", "", 0));
        req.put("volume_id", "00000000-0000-0000-0000-000000000000");
        var noVolume = api.post("/containers", req);
        assertThat(noVolume.status()).isEqualTo(404);
        assertThat(noVolume.json()).isEqualTo(json("{\"error\":\"Volume not found\"}"));

        req = new HashMap<>(request("x3", "", 0));
        req.put("start_pattern", "Done(");
        assertThat(api.post("/containers", req).json().get("error").asText()).startsWith("Invalid start_pattern: ");

        req = new HashMap<>(request("../evil", "", 0));
        assertThat(api.post("/containers", req).json().get("error").asText()).startsWith("Invalid internal_id");

        req = new HashMap<>(request("x4", "", 0));
        req.put("limits", Map.of("memory", 1, "cpu", 1.0));
        assertThat(api.post("/containers", req).json().get("error").asText()).startsWith("Invalid limits: memory");

        req = new HashMap<>(request("x5", "", 0));
        req.put("limits", Map.of("memory", 67108864, "cpu", 0.001));
        assertThat(api.post("/containers", req).json().get("error").asText())
                .isEqualTo("Invalid limits: cpu must be from 0.01 to " + Runtime.getRuntime().availableProcessors()
                        + " (the host's CPU count)");
        assertThat(api.post("/containers/it-mc-001/rebind-network", Map.of()).json())
                .isEqualTo(json("{\"error\":\"Missing required field 'ports'\"}"));

        assertThat(api.get("/containers/nope").json()).isEqualTo(json("{\"error\":\"Container not found\"}"));
        assertThat(api.post("/containers/nope/start", null).status()).isEqualTo(404);
        assertThat(api.get("/containers").json().get("containers").findValuesAsText("internal_id"))
                .doesNotContain("x1", "x2", "x3", "x4", "x5");
    }

    @Test
    void crashIsReportedRestartedWithBackoffAndGivenUpInALoop() {
        var req = new HashMap<>(request("it-crasher", "", 0));
        req.put("startup_command", "echo crashing now; exit 3");
        req.put("start_pattern", "");
        req.put("restart_on_crash", true);
        api.post("/containers", req);
        awaitInstall("it-crasher", "ready");
        try (ConsoleClient console = new ConsoleClient(daemon, "it-crasher", daemon.token())) {
            console.await("history", event("logs", null));
            api.post("/containers/it-crasher/start", null);
            console.await("first crash", event("daemon_message", "Container exited unexpectedly with code 3"));
            console.await("backoff", event("daemon_message", "Restarting in 1s"));
            console.await("second backoff", event("daemon_message", "Restarting in 2s"));
            console.await("loop", event("daemon_message", "Crash loop detected: 3 crashes within 60s, not restarting"));
        }
        JsonNode down = awaitPower("it-crasher", "offline");
        assertThat(down.get("install_state").asText()).isEqualTo("ready");
        // the panel reading the container later still sees why it is down
        assertThat(down.get("daemon_message").asText()).isEqualTo("Crash loop detected: 3 crashes within 60s, not restarting");
        api.delete("/containers/it-crasher");
    }

    @Test
    void rebindIsRefusedWhileInstalling() {
        api.post("/containers", request("it-slow-install", "sleep 5", 0));
        var res = api.post("/containers/it-slow-install/rebind-network", Map.of("ports", List.of()));
        assertThat(res.status()).isEqualTo(400);
        assertThat(res.json()).isEqualTo(json("{\"error\":\"Cannot rebind network while container is installing\"}"));
        awaitInstall("it-slow-install", "ready");
        api.delete("/containers/it-slow-install");
    }

    @Test
    void killEndsAStopTheServerIgnoresAndARestartItInterrupts() {
        // ignores SIGTERM and its stop command: only SIGKILL ends it
        String stubborn = "trap '' TERM; echo up; while read l; do echo \"ignoring $l\"; done";
        var req = new HashMap<>(request("it-stubborn", "", 0));
        req.put("startup_command", stubborn);
        req.remove("start_pattern");
        try {
            api.post("/containers", req);
            awaitInstall("it-stubborn", "ready");

            api.post("/containers/it-stubborn/start", null);
            awaitPower("it-stubborn", "running");
            api.post("/containers/it-stubborn/stop", null);
            awaitPower("it-stubborn", "stopping");
            assertThat(api.post("/containers/it-stubborn/kill", null).status()).isEqualTo(200);
            // the stop alone would wait its 30 s timeout; the kill ends it at once
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    "offline".equals(api.get("/containers/it-stubborn").json().path("state").asText()));
            assertThat(DockerCli.inspect("lightd-it-stubborn", "{{.State.ExitCode}}")).isEqualTo("137");

            api.post("/containers/it-stubborn/start", null);
            awaitPower("it-stubborn", "running");
            api.post("/containers/it-stubborn/restart", null);
            awaitPower("it-stubborn", "stopping");
            api.post("/containers/it-stubborn/kill", null);
            awaitPower("it-stubborn", "offline");
            // the restart it cut short does not bring it back
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                    "offline".equals(api.get("/containers/it-stubborn").json().path("state").asText()));
        } finally {
            api.delete("/containers/it-stubborn"); // the list assertions of the other tests count containers
        }
    }
}
