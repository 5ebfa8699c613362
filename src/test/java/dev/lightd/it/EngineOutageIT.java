package dev.lightd.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.lightd.it.ApiClient.json;
import static dev.lightd.it.ConsoleClient.consoleContains;
import static dev.lightd.it.ConsoleClient.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * dockerd stops: routes that need it answer 503 (in each face's format); dockerd comes back: the
 * daemon recovers by itself, and what should run (a panel container, a Minecraft server) runs again.
 */
@Tag("engine-outage")
class EngineOutageIT {

    @Test
    void routesAnswer503AndTheDaemonRecoversWhenTheEngineIsBack() throws Exception {
        TestImages.ensureBuilt();
        String mcImage = McStandinImage.ensureBuilt();
        try (DaemonProcess daemon = DaemonProcess.start(cfg -> cfg.putObject("mcctl").put("image", mcImage))) {
            ApiClient api = daemon.api();
            ApiClient mc = daemon.mcctl(daemon.cli("", "mcctl", "key", "create"));
            var created = mc.post("/api/servers", Map.of("name", "it-outage", "autoStart", true));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(60)).until(() -> mc.post("/api/servers/it-outage/exec",
                    Map.of("command", "list")).status() == 200);
            String volume = api.post("/volumes", null).json().get("volume_id").asText();
            api.post("/containers", Map.of("internal_id", "it-survivor", "image", TestImages.BUSYBOX, "volume_id", volume,
                    "startup_command", "echo up again; while read l; do echo \"got $l\"; done",
                    "limits", Map.of("memory", 67108864, "cpu", 1.0)));
            await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(
                    api.get("/containers/it-survivor").json().path("install_state").asText()));
            api.post("/containers/it-survivor/start", null);
            await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(
                    api.get("/containers/it-survivor").json().path("state").asText()));

            stopDockerd();
            try {
                var res = await().atMost(Duration.ofSeconds(30)).until(
                        () -> api.post("/containers/it-survivor/restart", null), r -> r.status() == 503);
                assertThat(res.json()).isEqualTo(json("{\"error\":\"Docker engine unavailable\"}"));
                assertThat(api.post("/containers/it-survivor/kill", null).status()).isEqualTo(503);
                assertThat(api.delete("/containers/it-survivor").status()).isEqualTo(503);
                // what needs no engine still answers
                assertThat(api.get("/containers/it-survivor").status()).isEqualTo(200);
                assertThat(api.get("/network/ports").status()).isEqualTo(200);
                var mcDown = mc.post("/api/servers/it-outage/restart", null);
                assertThat(mcDown.status()).isEqualTo(500);
                assertThat(mcDown.json()).isEqualTo(json("{\"error\":\"InternalServerError\",\"message\":\"Docker engine unavailable\"}"));
            } finally {
                startDockerd();
            }

            // the container should run, so the daemon starts it again and follows its console
            await().atMost(Duration.ofSeconds(90)).until(() -> "running".equals(
                    api.get("/containers/it-survivor").json().path("state").asText()));
            try (ConsoleClient console = new ConsoleClient(daemon, "it-survivor", daemon.token())) {
                console.await("history", event("logs", null));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    console.send("{\"event\":\"send_command\",\"data\":\"ping\"}");
                    console.await("echo after recovery", consoleContains("got ping"));
                });
            }
            assertThat(api.delete("/containers/it-survivor").status()).isEqualTo(200);

            // the Minecraft server was started and never stopped: it is started again, RCON answers
            await().atMost(Duration.ofSeconds(90)).until(() -> mc.post("/api/servers/it-outage/exec",
                    Map.of("command", "list")).status() == 200);
            assertThat(mc.get("/api/servers/it-outage").json().at("/server/status").asText()).isEqualTo("running");
            assertThat(mc.delete("/api/servers/it-outage?force=true").status()).isEqualTo(200);
        }
    }

    static void stopDockerd() throws Exception {
        new ProcessBuilder("pkill", "-x", "dockerd").inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> !DockerCli.run("info").startsWith("0:"));
        // the daemon must see the engine gone before it comes back: wait for the process to end
        await().atMost(Duration.ofSeconds(90)).until(() ->
                new ProcessBuilder("pgrep", "-x", "dockerd").start().waitFor() != 0);
    }

    static void startDockerd() throws Exception {
        Process p = new ProcessBuilder("bash", Path.of("bin/ensure-docker").toString()).inheritIO().start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }
}
