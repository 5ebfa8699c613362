package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.lightd.it.ConsoleClient.consoleContains;
import static dev.lightd.it.ConsoleClient.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the supervisor does when a server exits by itself, on both faces, with the crash backoff
 * injected through the config (50 ms instead of 1 s): a `stop` typed in the console is not a crash
 * and is not restarted, unless the server asks for that (crash_on_clean_exit, Wings'
 * DetectCleanExitAsCrash); a crash is restarted after 50, 100, 200 ms and then given up.
 */
class CleanExitAndCrashIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages().withMcStandinImage()
            .withMcctlKey().withVolume().withConfig(cfg -> cfg.putObject("supervisor").put("crash_backoff_ms", 50));
    static final ApiClient api = daemon.api();

    static void createReady(String id, String startup, boolean crashOnCleanExit) {
        Map<String, Object> req = new HashMap<>(Map.of("internal_id", id, "image", TestImages.BUSYBOX,
                "volume_id", daemon.volume().id(), "startup_command", startup, "restart_on_crash", true,
                "limits", Map.of("memory", 67108864, "cpu", 0.5)));
        req.put("crash_on_clean_exit", crashOnCleanExit);
        assertThat(api.post("/containers", req).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(
                api.get("/containers/" + id).json().path("install_state").asText()));
    }

    static String state(String id) {
        return api.get("/containers/" + id).json().path("state").asText();
    }

    @Test
    void aStopTypedInTheConsoleIsNotRestarted() {
        createReady("it-clean", ContainerLifecycleIT.ECHO_SERVER, false);
        assertThat(api.get("/containers/it-clean").json().get("crash_on_clean_exit").asBoolean()).isFalse();
        try (ConsoleClient console = new ConsoleClient(daemon, "it-clean", daemon.token())) {
            console.await("history", event("logs", null));
            api.post("/containers/it-clean/start", null);
            console.await("running", event("event", "running"));
            console.send("{\"event\":\"send_command\",\"data\":\"stop\"}");
            console.await("exit", event("event", "exit"));
            console.await("told", event("daemon_message", "Container stopped by itself (exit code 0); not restarting it"));
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> "offline".equals(state("it-clean")));
        assertThat(DockerCli.inspect("lightd-it-clean", "{{.State.Running}} {{.State.ExitCode}}")).isEqualTo("false 0");
        api.delete("/containers/it-clean");
    }

    @Test
    void aCleanExitCountsAsACrashWhenTheServerAsksForIt() {
        createReady("it-clean-crash", ContainerLifecycleIT.ECHO_SERVER, true);
        try (ConsoleClient console = new ConsoleClient(daemon, "it-clean-crash", daemon.token())) {
            console.await("history", event("logs", null));
            api.post("/containers/it-clean-crash/start", null);
            console.await("running", event("event", "running"));
            console.clear();
            console.send("{\"event\":\"send_command\",\"data\":\"stop\"}");
            console.await("crash", event("daemon_message", "Container exited unexpectedly with code 0"));
            console.await("backoff", event("daemon_message", "Restarting in 50ms"));
            console.await("running again", event("event", "running"));
            console.await("start line again", consoleContains("Done (0.2s)! For help"));
        }
        assertThat(state("it-clean-crash")).isEqualTo("running");
        api.delete("/containers/it-clean-crash");
    }

    @Test
    void aCrashIsRestartedWithTheInjectedBackoffAndGivenUpInALoop() {
        createReady("it-quick-crasher", "echo crashing now; exit 3", false);
        try (ConsoleClient console = new ConsoleClient(daemon, "it-quick-crasher", daemon.token())) {
            console.await("history", event("logs", null));
            api.post("/containers/it-quick-crasher/start", null);
            console.await("first crash", event("daemon_message", "Container exited unexpectedly with code 3"));
            console.await("backoff 1", event("daemon_message", "Restarting in 50ms"));
            console.await("backoff 2", event("daemon_message", "Restarting in 100ms"));
            console.await("backoff 3", event("daemon_message", "Restarting in 200ms"));
            console.await("loop", event("daemon_message", "Crash loop detected: 3 crashes within 60s, not restarting"));
        }
        JsonNode down = api.get("/containers/it-quick-crasher").json();
        assertThat(down.get("state").asText()).isEqualTo("offline");
        assertThat(down.get("daemon_message").asText()).isEqualTo("Crash loop detected: 3 crashes within 60s, not restarting");
        api.delete("/containers/it-quick-crasher");
    }

    @Test
    void aMinecraftServerAskingForItIsRestartedAfterAStopFromInside() {
        ApiClient mc = daemon.mcctl();
        var created = mc.post("/api/servers", Map.of("name", "it-phoenix", "autoStart", true, "crashOnCleanExit", true));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                mc.post("/api/servers/it-phoenix/exec", Map.of("command", "list")).status() == 200);
        String firstStart = DockerCli.inspect("mc-it-phoenix", "{{.State.StartedAt}}");

        assertThat(mc.post("/api/servers/it-phoenix/exec", Map.of("command", "stop")).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                !DockerCli.inspect("mc-it-phoenix", "{{.State.StartedAt}}").equals(firstStart)
                        && DockerCli.inspect("mc-it-phoenix", "{{.State.Running}}").equals("true"));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                mc.post("/api/servers/it-phoenix/exec", Map.of("command", "list")).status() == 200);
        assertThat(daemon.log()).contains("event=mc_server_crashed server=it-phoenix exit_code=0");
        assertThat(mc.delete("/api/servers/it-phoenix?force=true").status()).isEqualTo(200);
    }
}
