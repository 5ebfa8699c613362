package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threat: a player name, ban reason or setting value that becomes a second RCON command (a newline,
 * CR or NUL ends one), a second environment variable or a second line of server.properties. Every
 * hostile value is refused with a 400 naming the field before any RCON command is sent or anything
 * is written, on a running server (the RCON path) as on a stopped one.
 */
class PlayerAndSettingsInjectionAttackIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withMcStandinImage().withMcctlKey();
    static ApiClient mc;

    static final List<String> HOSTILE = new ArrayList<>(McctlInjectionAttackIT.HOSTILE);
    static {
        HOSTILE.addAll(List.of("Steve\nop Evil", "Steve\rop Evil", "Steve\u0000op Evil", "Steve op Evil", "@a", "@e[type=player]",
                "Steve\u2028op Evil", "§4Steve", "Steve\nEULA=FALSE"));
    }

    @BeforeAll
    static void runningServer() {
        mc = daemon.mcctl();
        assertThat(mc.post("/api/servers", Map.of("name", "it-hostile")).status()).isEqualTo(201);
        assertThat(mc.post("/api/servers/it-hostile/start", null).status()).isEqualTo(200);
    }

    @Test
    void hostilePlayerNamesAndReasonsNeverReachRcon() throws Exception {
        for (boolean running : List.of(true, false)) {
            for (String v : HOSTILE) {
                McctlPlayersIT.assertValidation(mc.post("/api/servers/it-hostile/whitelist", Map.of("player", v)), "player");
                McctlPlayersIT.assertValidation(mc.post("/api/servers/it-hostile/ops", Map.of("player", v)), "player");
                McctlPlayersIT.assertValidation(mc.post("/api/servers/it-hostile/bans", Map.of("player", v)), "player");
                String path = URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
                refusedInPath(mc.delete("/api/servers/it-hostile/whitelist/" + path));
                refusedInPath(mc.delete("/api/servers/it-hostile/ops/" + path));
                refusedInPath(mc.delete("/api/servers/it-hostile/bans/" + path));
                refusedInPath(mc.send("PATCH", "/api/servers/it-hostile/ops/" + path, Map.of("level", 4)));
                if (dangerous(v)) {
                    McctlPlayersIT.assertValidation(mc.post("/api/servers/it-hostile/bans",
                            Map.of("player", "Steve", "reason", v)), "reason");
                }
            }
            if (running) {
                assertThat(mc.post("/api/servers/it-hostile/stop", null).status()).isEqualTo(200);
            }
        }
        Path folder = daemon.dataDir().resolve("servers/it-hostile");
        for (String file : List.of("ops.json", "whitelist.json", "banned-players.json")) {
            Path p = folder.resolve(file);
            assertThat(!Files.exists(p) || Files.readString(p).strip().equals("[]"))
                    .as(file + " holds no player: " + (Files.exists(p) ? Files.readString(p) : "")).isTrue();
        }
        assertThat(mc.get("/api/servers/it-hostile/logs?lines=1000").body()).as("no command reached the server")
                .doesNotContain("Rcon: ", "Evil");
    }

    /**
     * A hostile path segment is refused with 400 ValidationError: naming the field, or before routing
     * when the server's URI parser refuses the segment itself (an encoded NUL, say).
     */
    private static void refusedInPath(ApiClient.Response res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(400);
        assertThat(res.json().get("error").asText()).isEqualTo("ValidationError");
        assertThat(res.json().get("message").asText()).as(res.toString())
                .satisfiesAnyOf(m -> assertThat(m).contains("(field 'player')"),
                        m -> assertThat(m).startsWith("Bad request: malformed request"));
    }

    /** A character that could end a command or a line, or open a template, expansion or quote. */
    static boolean dangerous(String v) {
        return v.chars().anyMatch(c -> Character.isISOControl(c) || "${}=`\\\"'%".indexOf(c) >= 0
                || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.LINE_SEPARATOR);
    }

    @Test
    void hostileSettingValuesAreRefusedAndReachNoContainer() {
        JsonNode before = mc.get("/api/servers/it-hostile/config").json();
        for (String key : List.of("difficulty", "gameMode", "motd", "levelType", "seed", "memory", "maxPlayers", "pvp")) {
            for (String v : HOSTILE) {
                if ((key.equals("motd") || key.equals("seed")) && !dangerous(v)) {
                    continue; // plain words and spaces are a fine message or seed
                }
                var res = mc.send("PATCH", "/api/servers/it-hostile/config", Map.of(key, v));
                assertThat(res.status()).as(key + "=" + v + " -> " + res.body()).isEqualTo(400);
                assertThat(res.json().get("error").asText()).isEqualTo("ValidationError");
                assertThat(res.json().get("message").asText()).as(key + "=" + v)
                        .containsAnyOf("for setting '" + key + "'", "(field '" + key + "')")
                        .doesNotContain("\n", "\r", "\u0000", "\u202e");
            }
        }
        Map<String, Object> smuggled = new LinkedHashMap<>();
        smuggled.put("RCON_PASSWORD", "x");
        smuggled.put("rconPassword", "x");
        smuggled.put("uid", 0);
        smuggled.put("enableRcon", false);
        for (var e : smuggled.entrySet()) {
            assertThat(mc.send("PATCH", "/api/servers/it-hostile/config", Map.of(e.getKey(), e.getValue())).status())
                    .as(e.getKey()).isEqualTo(400);
        }
        assertThat(mc.get("/api/servers/it-hostile/config").json()).isEqualTo(before);
        String env = DockerCli.inspect("mc-it-hostile", "{{range .Config.Env}}{{println .}}{{end}}");
        assertThat(env).doesNotContain("DIFFICULTY", "MOTD", "EULA=FALSE", "Evil", "{{");
    }
}
