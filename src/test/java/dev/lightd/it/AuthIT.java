package dev.lightd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.node.ObjectNode;

class AuthIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults();
    @RegisterExtension
    static final DaemonExtension vendorDaemon = DaemonExtension.withDefaults()
            .withConfig(cfg -> ((ObjectNode) cfg.get("authorization"))
                    .putObject("vendor").put("enabled", true));

    @Test
    void pingIsPublicAndAnswersTheSeed() {
        var res = daemon.api(null).get("/api/v1/public/ping");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json()).isEqualTo(json("{\"status\":\"ok\",\"message\":\"Lightd is running\"}"));
    }

    @Test
    void everyOtherRouteNeedsAToken() {
        for (var client : new ApiClient[] {daemon.api(null), daemon.api("lightd_00000000000000000000000000000000"),
                daemon.api(null).withHeader("Authorization", "Basic " + daemon.token())}) {
            for (String path : new String[] {"/volumes", "/network/ports", "/remote/config", "/metrics"}) {
                var res = client.get(path);
                assertThat(res.status()).as(path).isEqualTo(401);
                assertThat(res.json()).isEqualTo(json("{\"error\":\"Missing or invalid authorization token\"}"));
            }
        }
    }

    @Test
    void mintedTokenHasTheSeedShapeAndWorks() {
        var res = daemon.api().post("/auth/tokens", Map.of("ttl", "1h", "remove_on_use", false));
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json().properties()).extracting(Map.Entry::getKey).containsExactly("token", "expires_at", "id");
        String token = res.json().get("token").asText();
        assertThat(token).matches("lightd_[0-9a-f]{32}");
        assertThat(res.json().get("expires_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(daemon.api(token).get("/volumes").status()).isEqualTo(200);
        assertThat(daemon.api(token).get("/volumes").status()).isEqualTo(200);
    }

    @Test
    void singleUseTokenWorksOnce() {
        String token = daemon.api().post("/auth/tokens", Map.of("ttl", "15m", "remove_on_use", true))
                .json().get("token").asText();
        assertThat(daemon.api(token).get("/network/ports").status()).isEqualTo(200);
        var second = daemon.api(token).get("/network/ports");
        assertThat(second.status()).isEqualTo(401);
        assertThat(second.json()).isEqualTo(json("{\"error\":\"Missing or invalid authorization token\"}"));
    }

    @Test
    void mintedTokenCannotMintTokensNorReadTheConfig() {
        String token = daemon.api().post("/auth/tokens", Map.of("ttl", "1h")).json().get("token").asText();
        var mint = daemon.api(token).post("/auth/tokens", Map.of("ttl", "1h"));
        assertThat(mint.status()).isEqualTo(403);
        assertThat(mint.json()).isEqualTo(json("{\"error\":\"This route needs the master token\"}"));
        assertThat(daemon.api(token).get("/remote/config").status()).isEqualTo(403);
        assertThat(daemon.api(token).post("/remote/config/reload", null).status()).isEqualTo(403);
    }

    @Test
    void badTtlIsRefused() {
        for (Object ttl : new Object[] {"1w", "abc", "0s", 5, ""}) {
            var res = daemon.api().post("/auth/tokens", Map.of("ttl", ttl));
            assertThat(res.status()).as("ttl %s", ttl).isEqualTo(400);
            assertThat(res.json().get("error").asText()).as("ttl %s", ttl)
                    .isIn("Invalid ttl: expected a number followed by s, m, h or d (e.g. 30s, 15m, 1h, 7d)",
                            "Field 'ttl' must be a string");
        }
        assertThat(daemon.api().post("/auth/tokens", Map.of("ttl", "1w")).json())
                .isEqualTo(json("{\"error\":\"Invalid ttl: expected a number followed by s, m, h or d (e.g. 30s, 15m, 1h, 7d)\"}"));
        assertThat(daemon.api().post("/auth/tokens", Map.of("remove_on_use", "yes")).json())
                .isEqualTo(json("{\"error\":\"Field 'remove_on_use' must be true or false\"}"));
    }

    @Test
    void vendorHeaderIsCheckedWhenEnabled() {
        var without = vendorDaemon.api().get("/volumes");
        assertThat(without.status()).isEqualTo(403);
        assertThat(without.json()).isEqualTo(json("{\"error\":\"Invalid vendor header\"}"));
        var wrong = vendorDaemon.api().withHeader("Accept", "application/json").get("/volumes");
        assertThat(wrong.status()).isEqualTo(403);
        var right = vendorDaemon.api().withHeader("Accept", "Application/vnd.pkglatv1+json").get("/volumes");
        assertThat(right.status()).isEqualTo(200);
        assertThat(vendorDaemon.api(null).get("/api/v1/public/ping").status()).isEqualTo(200);
    }

    @Test
    void refusedConsoleUpgradesAnswerTheSameJson() throws Exception {
        assertThat(RawWebSocket.answer(daemon.port(), "/ws/anything")).startsWith("HTTP/1.1 401")
                .endsWith("\r\n\r\n{\"error\":\"Missing or invalid authorization token\"}");
        assertThat(RawWebSocket.answer(daemon.port(), "/ws/anything?token=lightd_ffffffffffffffffffffffffffffffff")).startsWith("HTTP/1.1 401")
                .endsWith("{\"error\":\"Missing or invalid authorization token\"}");
        assertThat(RawWebSocket.answer(daemon.port(), "/ws/nosuch?token=" + daemon.token())).startsWith("HTTP/1.1 404")
                .endsWith("{\"error\":\"Container not found\"}");
        assertThat(RawWebSocket.answer(vendorDaemon.port(), "/ws/nosuch?token=" + vendorDaemon.token())).startsWith("HTTP/1.1 403")
                .endsWith("{\"error\":\"Invalid vendor header\"}");
    }

}
