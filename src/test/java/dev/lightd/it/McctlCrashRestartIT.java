package dev.lightd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Minecraft server that crashes is started again by the daemon (the container has no engine
 * restart policy, so only the daemon can have done it); one that stops cleanly from inside stays
 * stopped.
 */
class McctlCrashRestartIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withMcStandinImage().withMcctlKey();

    @Test
    void aCrashIsRestartedAndACleanStopFromInsideIsNot() {
        ApiClient mc = daemon.mcctl();
        assertThat(mc.post("/api/servers", Map.of("name", "it-crashy", "autoStart", true)).status()).isEqualTo(201);
        awaitRcon(mc);
        assertThat(DockerCli.inspect("mc-it-crashy", "{{.HostConfig.RestartPolicy.Name}}")).isIn("", "no");
        String firstStart = DockerCli.inspect("mc-it-crashy", "{{.State.StartedAt}}");

        var crash = mc.post("/api/servers/it-crashy/exec", Map.of("command", "fake-crash"));
        assertThat(crash.json().get("output").asText()).isEqualTo("Crashing the server");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                !DockerCli.inspect("mc-it-crashy", "{{.State.StartedAt}}").equals(firstStart)
                        && DockerCli.inspect("mc-it-crashy", "{{.State.Running}}").equals("true"));
        awaitRcon(mc);
        assertThat(daemon.log()).contains("event=mc_server_crashed server=it-crashy exit_code=1");

        assertThat(mc.post("/api/servers/it-crashy/exec", Map.of("command", "stop")).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                mc.get("/api/servers/it-crashy").json().at("/server/status").asText().equals("exited"));
        // two refresh rounds later it is still down: a clean exit is not a crash
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() ->
                DockerCli.inspect("mc-it-crashy", "{{.State.Running}} {{.State.ExitCode}}").equals("false 0"));
        assertThat(mc.delete("/api/servers/it-crashy?force=true").status()).isEqualTo(200);
    }

    private static void awaitRcon(ApiClient mc) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                mc.post("/api/servers/it-crashy/exec", Map.of("command", "list")).status() == 200);
    }
}
