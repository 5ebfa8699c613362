package dev.lightd.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fork bomb (Wings CVE-2021-32699) in a server container and in an install container: the
 * container's process count, read from the host with docker top, stays at its PID limit, and the
 * daemon keeps answering GET /containers within a few seconds while it runs. Each bomb lasts about
 * 8 s and the containers get half a CPU, so the machine is not loaded for long.
 */
@Isolated
class ForkBombAttackIT {

    /** The daemon's default for this test: the server container takes it, the install container its own. */
    static final int DEFAULT_PIDS = 96;
    static final int INSTALL_PIDS = 48;
    /**
     * Forks 30 s sleeps as fast as it can until the limit stops it (busybox's forking subshell ends
     * at its first refused fork; the sleeps then hold every PID the container may have), for 8 s.
     * Everything after the forks is a shell builtin or an exec, which need no new PID.
     */
    static final String BOMB = "sleep 8 & timer=$!; (while :; do sleep 30 & done) 2>/dev/null & bomb=$!;"
            + " wait $timer; kill $bomb 2>/dev/null; echo bomb-over";

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages().withVolume()
            .withConfig(cfg -> ((ObjectNode) cfg.putObject("containers")).put("pids_limit", DEFAULT_PIDS));
    static final ApiClient api = daemon.api();

    /** Processes in the container as the host sees them (docker top, without its header); -1 when not running. */
    static int processes(String name) {
        String out = DockerCli.run("top", name, "-o", "pid");
        if (!out.startsWith("0:")) {
            return -1;
        }
        return (int) out.substring(2).lines().skip(1).filter(l -> !l.isBlank()).count();
    }

    /**
     * While the bomb runs (until done), samples the process count and times GET /containers;
     * answers the highest count seen.
     */
    static int watch(String name, BooleanSupplier done, Duration atMost) {
        long end = System.nanoTime() + atMost.toNanos();
        int highest = 0;
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            highest = Math.max(highest, processes(name));
            long t0 = System.nanoTime();
            var list = api.get("/containers");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(list.status()).isEqualTo(200);
            assertThat(ms).as("GET /containers during the fork bomb took %d ms", ms).isLessThan(3000);
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return highest;
    }

    @Test
    void aForkBombInAServerContainerStopsAtTheDefaultPidLimit() {
        var created = api.post("/containers", Map.of("internal_id", "it-bomb-srv", "image", TestImages.BUSYBOX,
                "volume_id", daemon.volume().id(), "startup_command", BOMB + "; exec sleep 300",
                "limits", Map.of("memory", 134217728, "cpu", 0.5)));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "ready".equals(api.get("/containers/it-bomb-srv").json().path("install_state").asText()));
        assertThat(DockerCli.inspect("lightd-it-bomb-srv", "{{.HostConfig.PidsLimit}}")).isEqualTo("" + DEFAULT_PIDS);
        try (ConsoleClient console = new ConsoleClient(daemon, "it-bomb-srv", daemon.token())) {
            console.await("history", ConsoleClient.event("logs", null));
            assertThat(api.post("/containers/it-bomb-srv/start", null).status()).isEqualTo(200);
            int highest = watch("lightd-it-bomb-srv", () -> console.frames().stream().anyMatch(ConsoleClient.consoleContains("bomb-over")),
                    Duration.ofSeconds(30));
            assertThat(highest).as("processes seen from the host").isBetween(DEFAULT_PIDS * 3 / 4, DEFAULT_PIDS);
            console.await("bomb over", ConsoleClient.consoleContains("bomb-over"));
        }
        assertThat(api.get("/containers/it-bomb-srv").json().get("state").asText()).isEqualTo("running");
        assertThat(api.delete("/containers/it-bomb-srv").status()).isEqualTo(200);
        assertThat(DockerCli.exists("lightd-it-bomb-srv")).isFalse();
    }

    @Test
    void aForkBombInAnInstallScriptStopsAtTheContainersPidLimit() {
        var created = api.post("/containers", Map.of("internal_id", "it-bomb-inst", "image", TestImages.BUSYBOX,
                "volume_id", daemon.volume().id(), "startup_command", "sleep 300",
                "install_script", BOMB + "; exit 0",
                "limits", Map.of("memory", 134217728, "cpu", 0.5, "pids", INSTALL_PIDS)));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String installer = "lightd-it-bomb-inst-install";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> processes(installer) > 0);
        assertThat(DockerCli.inspect(installer, "{{.HostConfig.PidsLimit}}")).isEqualTo("" + INSTALL_PIDS);
        int highest = watch(installer, () -> processes(installer) < 0, Duration.ofSeconds(60));
        assertThat(highest).as("processes seen from the host").isBetween(INSTALL_PIDS * 3 / 4, INSTALL_PIDS);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "ready".equals(api.get("/containers/it-bomb-inst").json().path("install_state").asText()));
        assertThat(api.delete("/containers/it-bomb-inst").status()).isEqualTo(200);
        assertThat(DockerCli.exists("lightd-it-bomb-inst")).isFalse();
    }
}
