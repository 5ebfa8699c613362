package dev.lightd.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Container names are chosen by clients (mc-&lt;name&gt;, lightd-&lt;internal_id&gt;). A name that
 * collides with a container the daemon did not create, the operator's own or a second daemon's on
 * the same engine, must get a conflict and leave that container exactly as it was: a daemon never
 * removes what is not its own.
 */
class ContainerNameCollisionAttackIT {

    @RegisterExtension
    static final DaemonExtension first = DaemonExtension.withDefaults()
            .withTestImages().withMcStandinImage().withMcctlKey();
    @RegisterExtension
    static final DaemonExtension second = DaemonExtension.withDefaults()
            .withTestImages().withMcStandinImage().withMcctlKey();

    /** The operator's own containers (not the daemons'; the extension removes those): gone before and after. */
    @BeforeAll
    static void removeOperatorsContainersBefore() {
        DockerCli.run("rm", "-f", "mc-it-collide-own", "lightd-it-collide-own");
    }

    @AfterAll
    static void removeOperatorsContainersAfter() {
        DockerCli.run("rm", "-f", "mc-it-collide-own", "lightd-it-collide-own");
    }

    static String operatorsOwnContainer(String name) {
        String out = DockerCli.run("run", "-d", "--name", name, TestImages.BUSYBOX, "sleep", "600");
        assertThat(out).startsWith("0:");
        return DockerCli.inspect(name, "{{.Id}}");
    }

    @Test
    void aSecondDaemonCannotTakeOverAServerOfTheFirst() {
        ApiClient one = first.mcctl();
        ApiClient two = second.mcctl();
        var created = one.post("/api/servers", Map.of("name", "it-collide-shared"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = DockerCli.inspect("mc-it-collide-shared", "{{.Id}}");

        var taken = two.post("/api/servers", Map.of("name", "it-collide-shared"));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json()).isEqualTo(json("{\"error\":\"Conflict\",\"message\":"
                + "\"Container name 'mc-it-collide-shared' is taken by a container this daemon does not manage\"}"));
        assertThat(DockerCli.inspect("mc-it-collide-shared", "{{.Id}}")).isEqualTo(id);
        assertThat(two.get("/api/servers/it-collide-shared").status()).isEqualTo(404);
        assertThat(one.get("/api/servers/it-collide-shared").status()).isEqualTo(200);
    }

    @Test
    void anMcctlServerNamedLikeTheOperatorsContainerIsRefused() {
        String id = operatorsOwnContainer("mc-it-collide-own");
        ApiClient mc = first.mcctl();

        var taken = mc.post("/api/servers", Map.of("name", "it-collide-own"));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("message").asText()).isEqualTo(
                "Container name 'mc-it-collide-own' is taken by a container this daemon does not manage");
        assertThat(DockerCli.inspect("mc-it-collide-own", "{{.Id}} {{.State.Running}}")).isEqualTo(id + " true");
        assertThat(mc.get("/api/servers/it-collide-own").status()).as("nothing recorded").isEqualTo(404);
        assertThat(mc.get("/api/worlds/it-collide-own").status()).as("no world left behind").isEqualTo(404);
        assertThat(first.dataDir().resolve("worlds/it-collide-own")).doesNotExist();
    }

    @Test
    void aPanelContainerNamedLikeTheOperatorsContainerFailsItsInstallAndItsDeleteLeavesItAlone() {
        String id = operatorsOwnContainer("lightd-it-collide-own");
        ApiClient api = first.api();
        String volume = api.post("/volumes", null).json().get("volume_id").asText();
        var created = api.post("/containers", Map.of(
                "internal_id", "it-collide-own",
                "image", TestImages.BUSYBOX,
                "volume_id", volume,
                "startup_command", "sleep 600",
                "ports", List.of(),
                "limits", Map.of("memory", 67108864, "cpu", 0.5),
                "install_script", ""));
        assertThat(created.status()).as(created.body()).isEqualTo(200);

        var failed = await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/containers/it-collide-own").json(),
                j -> "failed".equals(j.path("install_state").asText()));
        assertThat(failed.get("daemon_message").asText())
                .isEqualTo("Container name 'lightd-it-collide-own' is taken by a container this daemon does not manage");

        var start = api.post("/containers/it-collide-own/start", null);
        assertThat(start.status()).as("a failed install does not start").isEqualTo(400);
        var deleted = api.delete("/containers/it-collide-own");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(DockerCli.inspect("lightd-it-collide-own", "{{.Id}} {{.State.Running}}")).isEqualTo(id + " true");
    }
}
