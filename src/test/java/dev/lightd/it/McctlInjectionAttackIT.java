package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import java.io.UncheckedIOException;

/**
 * Hostile values in every mcctl field that reaches a container (env, labels, name, world folder):
 * each is a 400 ValidationError naming the field and nothing is created; a legitimate server's
 * container gets exactly the variables and labels the daemon means it to, and no secret but its
 * own RCON password.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McctlInjectionAttackIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withMcStandinImage().withMcctlKey();
    static ApiClient mc;

    /** Templates (Go, shell, Helm), a second variable, NUL, CR, shell expansions, bidi override. */
    static final List<String> HOSTILE = List.of("{{.Env.RCON_PASSWORD}}", "${RCON_PASSWORD}", "it-a\nEULA=FALSE",
            "it-a\u0000b", "it-a=b", "it-a\rb", "$(id)", "`id`", "it-a\\nb", "it-a;b", "it-a'b", "it-a\u202eb",
            "1.21.1\nEULA=FALSE", "1G\nMEMORY=64G", "%PATH%");

    /** The field and how its refusal starts; the rest of the message must name the field. */
    static final Map<String, String> SERVER_FIELDS = new LinkedHashMap<>();
    static {
        SERVER_FIELDS.put("name", "Invalid server name '");
        SERVER_FIELDS.put("world", "Invalid world name '");
        SERVER_FIELDS.put("type", "Invalid type '");
        SERVER_FIELDS.put("version", "Invalid version '");
        SERVER_FIELDS.put("memory", "Invalid memory '");
        SERVER_FIELDS.put("seed", "Invalid seed '");
    }

    static final Set<String> OURS = Set.of("EULA", "TYPE", "VERSION", "MEMORY", "LEVEL", "SEED", "ENABLE_RCON",
            "RCON_PORT", "RCON_PASSWORD");

    @BeforeAll
    static void client() {
        mc = daemon.mcctl();
    }

    @Test
    @Order(1)
    void everyHostileValueOnEveryServerFieldIsRefusedAndNothingIsCreated() {
        for (String field : SERVER_FIELDS.keySet()) {
            for (String v : HOSTILE) {
                Map<String, Object> body = new HashMap<>();
                body.put("name", "it-inj");
                body.put("autoStart", true);
                body.put(field, v);
                var res = mc.post("/api/servers", body);
                assertRefused(res, field, SERVER_FIELDS.get(field), field + "=" + v);
            }
        }
        assertNothingCreated();
    }

    @Test
    @Order(2)
    void everyHostileValueOnEveryWorldFieldIsRefusedAndNothingIsCreated() {
        for (String v : HOSTILE) {
            assertRefused(mc.post("/api/worlds", Map.of("name", v)), "name", "Invalid world name '", "name=" + v);
            assertRefused(mc.post("/api/worlds", Map.of("name", "it-w", "seed", v)), "seed", "Invalid seed '",
                    "seed=" + v);
            assertRefused(mc.post("/api/worlds", Map.of("name", "it-w", "serverName", v)), "serverName",
                    "Invalid server name '", "serverName=" + v);
        }
        assertNothingCreated();
    }

    @Test
    @Order(3)
    void aLegitimateServerGetsExactlyItsVariablesAndTheDaemonsLabels() throws Exception {
        String seed = "Hello World (v2): -42!";
        var created = mc.post("/api/servers", Map.of("name", "it-legit", "type", "paper", "version", "1.21.1",
                "memory", "1g", "seed", seed));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var plain = mc.post("/api/servers", Map.of("name", "it-plain"));
        assertThat(plain.status()).as(plain.body()).isEqualTo(201);

        Map<String, String> imageEnv = env(McStandinImage.IMAGE);
        Map<String, String> legit = env("mc-it-legit");
        Map<String, String> own = new TreeMap<>(legit);
        own.keySet().removeIf(k -> imageEnv.containsKey(k) && !OURS.contains(k));
        assertThat(own).containsOnlyKeys(OURS);
        assertThat(own).containsEntry("EULA", "TRUE").containsEntry("TYPE", "PAPER").containsEntry("VERSION", "1.21.1")
                .containsEntry("MEMORY", "1G").containsEntry("LEVEL", "it-legit").containsEntry("SEED", seed)
                .containsEntry("ENABLE_RCON", "true").containsEntry("RCON_PORT", "25575");
        assertThat(own.get("RCON_PASSWORD")).matches("[0-9a-f]{32}");
        Set<String> keys = new TreeSet<>(imageEnv.keySet());
        keys.addAll(OURS);
        assertThat(legit.keySet()).as("the image's variables and ours, nothing of the daemon's environment")
                .isEqualTo(keys);

        Map<String, String> plainOwn = new TreeMap<>(env("mc-it-plain"));
        plainOwn.keySet().removeIf(k -> imageEnv.containsKey(k) && !OURS.contains(k));
        Set<String> noSeed = new TreeSet<>(OURS);
        noSeed.remove("SEED");
        assertThat(plainOwn.keySet()).isEqualTo(noSeed);
        assertThat(plainOwn.get("RCON_PASSWORD")).isNotEqualTo(own.get("RCON_PASSWORD"));

        String node = labels("mc-it-legit").get("lightd.node");
        assertThat(DockerCli.run("ps", "-a", "--filter", "label=lightd.node=" + node, "--format", "{{.Names}}")
                .substring(2).lines().sorted().toList())
                .as("this daemon's containers: the two legitimate ones, none from the refused requests before")
                .containsExactly("mc-it-legit", "mc-it-plain");

        for (String container : List.of("mc-it-legit", "mc-it-plain")) {
            String all = DockerCli.inspect(container, "{{json .Config.Env}} {{json .Config.Labels}} {{json .Config.Cmd}}"
                    + " {{json .Config.Entrypoint}}");
            assertThat(all).as("no master token in " + container).doesNotContain(daemon.token());
            assertThat(all).as("no API key in " + container).doesNotContain(daemon.mcctlKey())
                    .doesNotContain(daemon.mcctlKey().substring("mctk_".length()));
            Map<String, String> labels = labels(container);
            Map<String, String> imageLabels = labels(McStandinImage.IMAGE);
            // the image's own labels (the test fixture's) come along unchanged; the daemon's are ours only
            Set<String> daemons = Set.of("managed-by", "lightd.node", "lightd.mcctl");
            labels.entrySet().removeIf(e -> !daemons.contains(e.getKey())
                    && e.getValue().equals(imageLabels.get(e.getKey())));
            assertThat(labels).containsOnlyKeys("managed-by", "lightd.node", "lightd.mcctl")
                    .containsEntry("managed-by", "lightd")
                    .containsEntry("lightd.mcctl", container.substring("mc-".length()));
            assertThat(DockerCli.inspect(container, "{{json .Config.Cmd}}"))
                    .isEqualTo(DockerCli.inspect(McStandinImage.IMAGE, "{{json .Config.Cmd}}"));
        }
    }

    @Test
    @Order(4)
    void hostileValuesOnAnExistingServerAndWorldAreRefusedAndChangeNothing() {
        assertThat(mc.post("/api/worlds", Map.of("name", "it-w")).status()).isEqualTo(201);
        for (String v : HOSTILE) {
            assertRefused(mc.post("/api/worlds/it-w/assign", Map.of("serverName", v)), "serverName",
                    "Invalid server name '", "assign serverName=" + v);
        }
        assertThat(mc.get("/api/worlds/it-w").json().at("/world/isLocked").asBoolean()).isFalse();
        for (String v : List.of("list\nstop", "list\rstop", "list\u0000stop")) {
            var res = mc.post("/api/servers/it-legit/exec", Map.of("command", v));
            assertThat(res.status()).as(res.body()).isEqualTo(400);
            assertThat(res.json().get("error").asText()).isEqualTo("ValidationError");
            assertThat(res.json().get("message").asText()).startsWith("Invalid command");
        }
        assertThat(mc.get("/api/servers/it-legit").json().at("/server/status").asText()).isEqualTo("stopped");
        assertThat(mc.get("/api/servers").json().get("total").asInt()).isEqualTo(2);
    }

    private static void assertRefused(ApiClient.Response res, String field, String start, String what) {
        assertThat(res.status()).as(what + " -> " + res.body()).isEqualTo(400);
        assertThat(res.json().properties()).extracting(Map.Entry::getKey).as(what).containsExactly("error", "message");
        assertThat(res.json().get("error").asText()).as(what).isEqualTo("ValidationError");
        String message = res.json().get("message").asText();
        assertThat(message).as(what).startsWith(start);
        if (start.contains(" name ")) {
            assertThat(message).as(what).contains("(field '" + field + "')");
        }
        assertThat(message).as(what + ": never echoed raw").doesNotContain("\n", "\r", "\u0000", "\u202e");
    }

    private static void assertNothingCreated() {
        assertThat(mc.get("/api/servers").json().get("total").asInt()).isZero();
        assertThat(mc.get("/api/worlds").json().get("total").asInt()).isZero();
        assertThat(DockerCli.exists("mc-it-inj")).isFalse();
        // the engine is shared with other classes running meanwhile: this daemon's containers are
        // counted once its node label is known (aLegitimateServer...)
        assertThat(DockerCli.run("ps", "-a", "--filter", "name=^mc-it-inj", "--format", "{{.Names}}")).isEqualTo("0:");
        Path worlds = daemon.dataDir().resolve("worlds");
        if (Files.exists(worlds)) {
            try (Stream<Path> s = Files.list(worlds)) {
                assertThat(s.toList()).as("world folders").isEmpty();
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Map<String, String> env(String object) {
        Map<String, String> env = new TreeMap<>();
        for (String kv : DockerCli.inspect(object, "{{range .Config.Env}}{{println .}}{{end}}").split("\n")) {
            if (!kv.isBlank()) {
                int eq = kv.indexOf('=');
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return env;
    }

    private static Map<String, String> labels(String object) {
        try {
            JsonNode node = new ObjectMapper().readTree(DockerCli.inspect(object, "{{json .Config.Labels}}"));
            Map<String, String> out = new TreeMap<>();
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
