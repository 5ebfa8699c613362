package dev.lightd.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every container the daemon makes is confined (CVE-2021-32699, CVE-2023-32080 in Wings): a PID
 * limit, no-new-privileges, Wings' dropped capabilities, /tmp a size-limited tmpfs, never
 * privileged, no engine socket and no host path but the volume (and, for installs, the read-only
 * script folder). Checked with docker inspect on a Lightd server container, a Lightd install
 * container while its script runs, and an mcctl server, and from inside a running container.
 */
class ContainerHardeningIT {

    static final Set<String> DROPPED = Set.of("SETPCAP", "MKNOD", "AUDIT_WRITE", "NET_RAW", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "NET_BIND_SERVICE", "SYS_CHROOT", "SETFCAP", "SYS_PTRACE");
    static final long TMP = 32L * 1024 * 1024;

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages().withVolume()
            .withMcStandinImage().withMcctlKey()
            .withConfig(cfg -> ((ObjectNode) cfg.putObject("containers")).put("pids_limit", 300)
                    .put("tmp_size_bytes", TMP));
    static final ApiClient api = daemon.api();

    /** The hardening every container must carry; pids is the limit it should have. */
    static void assertHardened(String name, long pids) {
        assertThat(DockerCli.inspect(name, "{{.HostConfig.PidsLimit}}")).as(name + " PidsLimit").isEqualTo(Long.toString(pids));
        assertThat(DockerCli.inspect(name, "{{json .HostConfig.SecurityOpt}}")).as(name + " SecurityOpt")
                .contains("no-new-privileges");
        String capDrop = DockerCli.inspect(name, "{{json .HostConfig.CapDrop}}");
        Set<String> dropped = Arrays.stream(capDrop.replaceAll("[\\[\\]\"]", "").split(","))
                .map(s -> s.trim().toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "")).collect(Collectors.toSet());
        assertThat(dropped).as(name + " CapDrop " + capDrop).containsAll(DROPPED);
        assertThat(DockerCli.inspect(name, "{{.HostConfig.Privileged}}")).as(name + " Privileged").isEqualTo("false");
        assertThat(DockerCli.inspect(name, "{{json .HostConfig.CapAdd}}")).as(name + " CapAdd").isIn("null", "[]");
        assertThat(DockerCli.inspect(name, "{{json .HostConfig.Tmpfs}}")).as(name + " Tmpfs")
                .contains("\"/tmp\"").contains("size=" + TMP);
        String mounts = DockerCli.inspect(name, "{{range .Mounts}}{{.Source}} -> {{.Destination}} rw={{.RW}}\n{{end}}");
        assertThat(mounts).as(name + " mounts").doesNotContain("docker.sock").doesNotContain("/var/run")
                .doesNotContain(" -> /run");
    }

    static void createLightd(String id, String startup, String installScript, Map<String, Object> limits) {
        var req = new HashMap<String, Object>(Map.of("internal_id", id, "image", TestImages.BUSYBOX,
                "volume_id", daemon.volume().id(), "startup_command", startup, "limits", limits));
        if (installScript != null) {
            req.put("install_script", installScript);
        }
        var created = api.post("/containers", req);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
    }

    static String installState(String id) {
        return api.get("/containers/" + id).json().path("install_state").asText();
    }

    @Test
    void aLightdServerContainerIsHardenedAndItsOwnPidLimitIsUsed() {
        createLightd("it-hard-srv", "echo up; sleep 300", null, Map.of("memory", 67108864, "cpu", 0.5, "pids", 64));
        await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(installState("it-hard-srv")));
        var detail = api.get("/containers/it-hard-srv").json();
        assertThat(detail.get("limits")).isEqualTo(ApiClient.json("{\"memory\":67108864,\"cpu\":0.5}"));
        assertThat(detail.get("pids_limit").asLong()).isEqualTo(64);
        assertHardened("lightd-it-hard-srv", 64);
        String mounts = DockerCli.inspect("lightd-it-hard-srv", "{{range .Mounts}}{{.Source}} -> {{.Destination}}\n{{end}}");
        assertThat(mounts.lines().toList()).containsExactly(daemon.volume().path() + " -> /home/container");

        api.post("/containers/it-hard-srv/start", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "true".equals(DockerCli.inspect("lightd-it-hard-srv", "{{.State.Running}}")));
        String status = DockerCli.run("exec", "lightd-it-hard-srv", "sh", "-c", "grep NoNewPrivs /proc/1/status; grep ' /tmp ' /proc/mounts");
        assertThat(status).startsWith("0:").contains("NoNewPrivs:\t1").contains("tmpfs /tmp tmpfs");
        // mknod is among the dropped capabilities: making a device node is refused even as root
        assertThat(DockerCli.run("exec", "lightd-it-hard-srv", "mknod", "/tmp/dev0", "c", "1", "3")).doesNotStartWith("0:");
        assertThat(api.delete("/containers/it-hard-srv").status()).isEqualTo(200);
    }

    @Test
    void aReinstallChangesThePidLimit() {
        createLightd("it-hard-re", "sleep 300", null, Map.of("memory", 67108864, "cpu", 0.5));
        await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(installState("it-hard-re")));
        assertHardened("lightd-it-hard-re", 300);
        assertThat(api.get("/containers/it-hard-re").json().get("pids_limit").asLong()).isZero();
        var bad = api.post("/containers/it-hard-re/reinstall", Map.of("limits", Map.of("pids", 3)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("Invalid limits: pids must be 0 (the daemon's default) or from 16 to 4194304");
        var ok = api.post("/containers/it-hard-re/reinstall", Map.of("limits", Map.of("pids", 128)));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(installState("it-hard-re"))
                && "128".equals(DockerCli.inspect("lightd-it-hard-re", "{{.HostConfig.PidsLimit}}")));
        var after = api.get("/containers/it-hard-re").json();
        assertThat(after.get("limits")).isEqualTo(ApiClient.json("{\"memory\":67108864,\"cpu\":0.5}"));
        assertThat(after.get("pids_limit").asLong()).isEqualTo(128);
        assertThat(api.delete("/containers/it-hard-re").status()).isEqualTo(200);
    }

    /**
     * A container the engine holds with less confinement than the config asks (made by an older
     * daemon, or loosened by hand with docker update) is made again at its next start.
     */
    @Test
    void aLoosenedContainerIsMadeAgainBeforeItsNextStart() {
        createLightd("it-hard-old", "echo up; sleep 300", null, Map.of("memory", 67108864, "cpu", 0.5));
        await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(installState("it-hard-old")));
        String before = DockerCli.inspect("lightd-it-hard-old", "{{.Id}}");
        assertThat(DockerCli.run("update", "--pids-limit", "-1", "lightd-it-hard-old")).startsWith("0:");
        assertThat(DockerCli.inspect("lightd-it-hard-old", "{{.HostConfig.PidsLimit}}")).isIn("-1", "0", "<no value>");

        assertThat(api.post("/containers/it-hard-old/start", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "true".equals(DockerCli.inspect("lightd-it-hard-old", "{{.State.Running}}")));
        assertThat(DockerCli.inspect("lightd-it-hard-old", "{{.Id}}")).as("a new engine container").isNotEqualTo(before);
        assertHardened("lightd-it-hard-old", 300);
        assertThat(api.delete("/containers/it-hard-old").status()).isEqualTo(200);
    }

    @Test
    void badPidLimitsAreRefusedOnCreate() {
        var req = Map.<String, Object>of("internal_id", "it-hard-bad", "image", TestImages.BUSYBOX,
                "volume_id", daemon.volume().id(), "startup_command", "true",
                "limits", Map.of("memory", 67108864, "cpu", 0.5, "pids", 8));
        var refused = api.post("/containers", req);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText())
                .isEqualTo("Invalid limits: pids must be 0 (the daemon's default) or from 16 to 4194304");
        assertThat(api.get("/containers/it-hard-bad").status()).isEqualTo(404);
    }

    @Test
    void aLightdInstallContainerIsHardenedWithTheContainersLimits() throws IOException {
        // the script waits for the test's go-ahead: a fixed sleep ended before the inspects on a loaded machine
        Path go = daemon.volume().path().resolve("it-hard-inst.go");
        createLightd("it-hard-inst", "sleep 300",
                "echo installing; until [ -f /home/container/it-hard-inst.go ]; do sleep 0.2; done; echo installed",
                Map.of("memory", 100663296, "cpu", 0.5, "pids", 80));
        String installer = "lightd-it-hard-inst-install";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> DockerCli.run("inspect", "-f", "{{.State.Running}}", installer).equals("0:true"));
        assertHardened(installer, 80);
        assertThat(DockerCli.inspect(installer, "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}"))
                .isEqualTo("100663296 500000000");
        String mounts = DockerCli.inspect(installer, "{{range .Mounts}}{{.Destination}} rw={{.RW}}\n{{end}}");
        assertThat(mounts.lines().sorted().toList()).containsExactly("/home/container rw=true", "/mnt/install rw=false");
        Files.createFile(go);
        await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(installState("it-hard-inst")));
        assertThat(DockerCli.exists(installer)).isFalse();
        assertHardened("lightd-it-hard-inst", 80);
        assertThat(api.delete("/containers/it-hard-inst").status()).isEqualTo(200);
    }

    @Test
    void anMcctlServerGetsTheDefaultsAndStillRuns() {
        ApiClient mc = daemon.mcctl();
        var created = mc.post("/api/servers", Map.of("name", "it-hard-mc", "autoStart", true));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertHardened("mc-it-hard-mc", 300);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                mc.post("/api/servers/it-hard-mc/exec", Map.of("command", "list")).status() == 200);
        assertThat(DockerCli.run("exec", "mc-it-hard-mc", "sh", "-c", "grep NoNewPrivs /proc/1/status"))
                .contains("NoNewPrivs:\t1");
        assertThat(mc.delete("/api/servers/it-hard-mc?force=true").status()).isEqualTo(200);
    }
}
