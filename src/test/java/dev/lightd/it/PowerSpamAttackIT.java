package dev.lightd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.lightd.it.ApiClient.json;
import static dev.lightd.it.ConsoleClient.consoleContains;
import static dev.lightd.it.ConsoleClient.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import java.util.ArrayList;

/**
 * A client spams power actions (Wings CVE-2025-69199's cousin: every request used to queue a thread
 * behind the power lock). Each server has one power lock with one pending slot: 200 concurrent
 * restarts are all answered as the seed says, coalesce into at most two restarts, cost at most one
 * power thread, and leave the server running; a server deleted in the middle of such a storm
 * leaves no container behind.
 */
class PowerSpamAttackIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages().withMcStandinImage()
            .withMcctlKey().withVolume();
    static final ApiClient api = daemon.api();

    @Test
    void twoHundredConcurrentRestartsCoalesceAndEndRunning() throws Exception {
        api.post("/containers", Map.of("internal_id", "it-spam", "image", TestImages.BUSYBOX, "volume_id",
                daemon.volume().id(),
                "startup_command", EngineRestartDrillIT.TERM_AWARE, "start_pattern", "^up",
                "limits", Map.of("memory", 67108864, "cpu", 0.5)));
        await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(
                api.get("/containers/it-spam").json().path("install_state").asText()));
        ApiClient.Response started = api.post("/containers/it-spam/start", null);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(
                api.get("/containers/it-spam").json().path("state").asText()));

        List<ApiClient.Response> answers;
        try (ExecutorService clients = Executors.newFixedThreadPool(50)) {
            List<Future<ApiClient.Response>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(clients.submit(() -> api.post("/containers/it-spam/restart", null)));
            }
            answers = new ArrayList<>();
            for (Future<ApiClient.Response> f : sent) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
        }
        String dump = threadDump();
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json()).isEqualTo(json("{\"message\":\"Container restart initiated\",\"internal_id\":\"it-spam\"}"));
        });
        assertThat(dump).as("the dump lists virtual threads by name").contains("\"engine-watch\"");
        // one power thread for the container, not one per request waiting for the lock
        assertThat(dump.lines().filter(l -> l.contains("\"power-lightd-it-spam\"")).count()).isLessThanOrEqualTo(1);
        assertThat(dump.lines().filter(l -> l.contains("it-spam")).count()).isLessThanOrEqualTo(4);

        await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(
                api.get("/containers/it-spam").json().path("state").asText()));
        // the coalesced restarts are over: it stays up and its console answers
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> "running".equals(
                api.get("/containers/it-spam").json().path("state").asText()));
        try (ConsoleClient console = new ConsoleClient(daemon, "it-spam", daemon.token())) {
            console.await("history", event("logs", null));
            console.send("{\"event\":\"send_command\",\"data\":\"still here\"}");
            console.await("echo", consoleContains("got still here"));
        }
        assertThat(api.delete("/containers/it-spam").status()).isEqualTo(200);
        assertThat(DockerCli.exists("lightd-it-spam")).isFalse();
    }

    @Test
    void aServerDeletedDuringAPowerStormLeavesNoContainer() throws Exception {
        ApiClient mc = daemon.mcctl();
        assertThat(mc.post("/api/servers", Map.of("name", "it-storm")).status()).isEqualTo(201);
        List<String> actions = List.of("start", "stop", "restart", "exec");
        try (ExecutorService clients = Executors.newFixedThreadPool(40)) {
            for (int i = 0; i < 200; i++) {
                String action = actions.get(i % actions.size());
                clients.submit(() -> action.equals("exec")
                        ? mc.post("/api/servers/it-storm/exec", Map.of("command", "list"))
                        : mc.post("/api/servers/it-storm/" + action, null));
            }
            Thread.sleep(500); // the storm is under way
            var deleted = mc.delete("/api/servers/it-storm?force=true");
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        }
        assertThat(mc.get("/api/servers/it-storm").status()).isEqualTo(404);
        // whatever was queued before the delete never brings the container back
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> !DockerCli.exists("mc-it-storm"));
    }

    /** The daemon's threads, virtual ones included, as jcmd prints them. */
    private static String threadDump() throws IOException, InterruptedException {
        Path file = Files.createTempFile("lightd-threads-", ".txt");
        Files.delete(file);
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(daemon.pid()), "Thread.dump_to_file", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String dump = Files.readString(file);
        Files.delete(file);
        return dump;
    }
}
