package dev.lightd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** What was answered with a 2xx survives a kill -9 of the daemon. */
class RestartPersistenceIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults();

    @Test
    void volumesPortsAndTokensSurviveKill9() {
        ApiClient api = daemon.api();
        String volumeId = api.post("/volumes", null).json().get("volume_id").asText();
        api.post("/network/ports", Map.of("ip", "0.0.0.0", "port", 25565, "protocol", "tcp"));
        api.post("/network/ports", Map.of("ip", "0.0.0.0", "port", 19132, "protocol", "udp"));
        api.put("/network/ports/0.0.0.0/25565/use", Map.of("in_use", true));
        String token = api.post("/auth/tokens", Map.of("ttl", "1h")).json().get("token").asText();
        String portsBefore = api.get("/network/ports").body();

        daemon.kill9();
        daemon.restart();

        assertThat(api.get("/volumes/" + volumeId).status()).isEqualTo(200);
        assertThat(api.get("/volumes/" + volumeId.substring(0, 8)).json().get("volume_id").asText())
                .isEqualTo(volumeId);
        assertThat(Files.isDirectory(Path.of(api.get("/volumes/" + volumeId).json().get("path").asText()))).isTrue();
        assertThat(api.get("/network/ports").json()).isEqualTo(json(portsBefore));
        assertThat(api.get("/network/ports/0.0.0.0/25565").json().get("in_use").asBoolean()).isTrue();
        assertThat(daemon.api(token).get("/volumes").status()).isEqualTo(200);
    }
}
