package dev.lightd.it;

import dev.lightd.TestPorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** State changes reach the panel in order, although the panel was down and the daemon was killed meanwhile. */
class PanelSyncIT {

    static final int PANEL_PORT = TestPorts.free();
    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages()
            .withConfig(cfg -> ((ObjectNode) cfg.putObject("remote"))
                    .put("enabled", true).put("url", "http://127.0.0.1:" + PANEL_PORT + "/api").put("token", "panel-secret"));

    @Test
    void updatesAreDeliveredInOrderAfterPanelAndDaemonOutages() throws Exception {
        ApiClient api = daemon.api();
        String volume = api.post("/volumes", null).json().get("volume_id").asText();
        api.post("/containers", Map.of("internal_id", "it-synced", "image", TestImages.BUSYBOX, "volume_id", volume,
                "startup_command", "sleep 3600", "install_script", "echo hi",
                "limits", Map.of("memory", 67108864, "cpu", 1.0)));
        await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(
                api.get("/containers/it-synced").json().path("install_state").asText()));

        daemon.kill9(); // the panel is still down: the updates wait in the store
        daemon.restart();

        List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
        List<String> auth = Collections.synchronizedList(new ArrayList<>());
        HttpServer panel = HttpServer.create(new InetSocketAddress("127.0.0.1", PANEL_PORT), 0);
        panel.createContext("/api/update", exchange -> {
            auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
            received.add(ApiClient.json(new String(exchange.getRequestBody().readAllBytes())));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        panel.start();
        try {
            api.post("/containers/it-synced/start", null);
            await().atMost(Duration.ofSeconds(90)).until(() -> states(received).contains("running"));
            assertThat(states(received)).containsSubsequence("installing", "ready", "starting", "running");
            assertThat(auth).containsOnly("Bearer panel-secret");
            assertThat(received.getFirst().get("internal_id").asText()).isEqualTo("it-synced");
            assertThat(received.getFirst().get("timestamp").asText()).endsWith("Z");
        } finally {
            panel.stop(0);
            api.delete("/containers/it-synced");
        }
    }

    private static List<String> states(List<JsonNode> received) {
        synchronized (received) {
            return received.stream().filter(j -> "event".equals(j.path("event").asText()))
                    .map(j -> j.path("data").asText()).toList();
        }
    }
}
