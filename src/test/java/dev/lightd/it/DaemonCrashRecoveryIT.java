package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static dev.lightd.it.ConsoleClient.consoleContains;
import static dev.lightd.it.ConsoleClient.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** kill -9 of the daemon while one container runs and another installs, then a new start. */
class DaemonCrashRecoveryIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages();

    @Test
    void runningContainerIsFollowedAgainAndTheCutInstallIsFailed() {
        ApiClient api = daemon.api();
        String volume = api.post("/volumes", null).json().get("volume_id").asText();
        api.post("/containers", Map.of("internal_id", "it-runner", "image", TestImages.BUSYBOX, "volume_id", volume,
                "startup_command", "echo 'before the crash'; while read l; do echo \"got $l\"; done",
                "limits", Map.of("memory", 67108864, "cpu", 1.0)));
        await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(
                api.get("/containers/it-runner").json().path("install_state").asText()));
        api.post("/containers/it-runner/start", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(
                api.get("/containers/it-runner").json().path("state").asText()));
        api.post("/containers", Map.of("internal_id", "it-installer", "image", TestImages.BUSYBOX, "volume_id", volume,
                "startup_command", "true", "install_script", "echo still installing; sleep 120",
                "limits", Map.of("memory", 67108864, "cpu", 1.0)));
        await().atMost(Duration.ofSeconds(30)).until(() -> DockerCli.exists("lightd-it-installer-install"));

        daemon.kill9();
        daemon.restart();

        JsonNode installer = await().atMost(Duration.ofSeconds(30)).until(
                () -> api.get("/containers/it-installer").json(), j -> "failed".equals(j.path("install_state").asText()));
        assertThat(installer.get("daemon_message").asText())
                .isEqualTo("Install interrupted by a daemon restart; reinstall to try again");
        assertThat(DockerCli.exists("lightd-it-installer-install")).isFalse();

        JsonNode runner = await().atMost(Duration.ofSeconds(30)).until(
                () -> api.get("/containers/it-runner").json(), j -> "running".equals(j.path("state").asText()));
        assertThat(runner.get("install_state").asText()).isEqualTo("ready");
        try (ConsoleClient console = new ConsoleClient(daemon, "it-runner", daemon.token())) {
            JsonNode logs = console.await("history", event("logs", null));
            assertThat(logs.get("data").asText()).contains("before the crash");
            console.send("{\"event\":\"send_command\",\"data\":\"after the crash\"}");
            console.await("echo after restart", consoleContains("got after the crash"));
            console.await("stats resume", event("stats", null));
        }
        api.delete("/containers/it-runner");
        api.delete("/containers/it-installer");
    }
}
