package dev.lightd.it;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Busybox containers for the console tests: created, installed and started through the API. */
final class ConsoleContainers {

    /** Prints "ready", then echoes every stdin line back as "got LINE". */
    static final String ECHO = "echo ready; while read l; do echo \"got $l\"; done";

    private ConsoleContainers() {}

    /** Creates {@code id} running {@code command} in busybox and waits until it runs. */
    static void running(ApiClient api, String volumeId, String id, String command) {
        ApiClient.Response created = api.post("/containers", Map.of(
                "internal_id", id,
                "image", TestImages.BUSYBOX,
                "volume_id", volumeId,
                "startup_command", command,
                "limits", Map.of("memory", 134217728, "cpu", 1.0)));
        if (created.status() / 100 != 2) {
            throw new IllegalStateException("POST /containers answered " + created);
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                api.get("/containers/" + id).json().path("install_state").asText().equals("ready"));
        api.post("/containers/" + id + "/start", null);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                api.get("/containers/" + id).json().path("state").asText().equals("running"));
    }
}
