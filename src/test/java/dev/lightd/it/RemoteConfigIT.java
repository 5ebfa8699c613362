package dev.lightd.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

class RemoteConfigIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withConfig(cfg -> cfg.putObject("remote")
            .put("enabled", true).put("url", "http://127.0.0.1:9/api").put("token", "panel-token"));

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void getConfigHasTheSeedShapeAndReloadAppliesLive() throws Exception {
        var res = daemon.api().get("/remote/config");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json()).isEqualTo(json("{\"version\":\"0.1.0\","
                + "\"server\":{\"host\":\"127.0.0.1\",\"port\":" + daemon.port() + "},"
                + "\"authorization\":{\"enabled\":true,\"token\":\"" + daemon.token() + "\"},"
                + "\"remote\":{\"enabled\":true,\"url\":\"http://127.0.0.1:9/api\",\"token\":\"panel-token\"}}"));

        Path file = daemon.dataDir().resolve("config.json");
        ObjectNode config = (ObjectNode) MAPPER.readTree(file.toFile());
        String newToken = "lightd_ffffffffffffffffffffffffffffffff";
        ((ObjectNode) config.get("authorization")).put("token", newToken);
        config.withObjectProperty("mcctl").withObjectProperty("auth").put("mode", "disabled");
        Files.writeString(file, MAPPER.writeValueAsString(config));
        ApiClient mcctlWithoutKey = daemon.mcctl(null);
        assertThat(mcctlWithoutKey.get("/api/worlds").status()).isEqualTo(401);

        var reload = daemon.api().post("/remote/config/reload", null);
        assertThat(reload.status()).isEqualTo(200);
        assertThat(reload.json()).isEqualTo(json("{\"message\":\"Configuration reloaded successfully\"}"));
        assertThat(daemon.api().get("/volumes").status()).isEqualTo(401);
        assertThat(daemon.api(newToken).get("/remote/config").json().get("authorization").get("token").asText())
                .isEqualTo(newToken);
        assertThat(mcctlWithoutKey.get("/api/worlds").status()).as("mcctl auth mode applied live").isEqualTo(200);

        Files.writeString(file, "{\"server\": {\"port\": \"eighty\"}}");
        var broken = daemon.api(newToken).post("/remote/config/reload", null);
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("error").asText())
                .startsWith("Configuration not reloaded: ").contains("key 'server.port'");
        assertThat(daemon.api(newToken).get("/volumes").status()).isEqualTo(200);
    }
}
