package dev.lightd.it;

import org.junit.jupiter.api.parallel.Isolated;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.lightd.it.ConsoleClient.consoleContains;
import static dev.lightd.it.ConsoleClient.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import java.io.BufferedInputStream;

/**
 * A console client that never reads must not slow the server or the other clients: 50 readers get
 * every line of a flood in the same order while the stalled one is disconnected with a reason.
 */
@Isolated
class SlowConsoleAttackIT {

    static final int LINES = 5_000;
    /** ~100 bytes a line: the flood (~550 KB) is more than the socket buffers of the stalled client hold. */
    static final String PAD = "x".repeat(80);
    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages()
            // generous: on a loaded machine a reading client (50 of them share this JVM) can go seconds
            // without taking a frame, and must not be taken for the stalled one
            .withConfig(cfg -> ((ObjectNode) cfg.putObject("monitoring")).put("console_stall_timeout_ms", 30_000))
            // 51 sockets on one container: more than the default cap of 30 (console.max_clients_per_container)
            .withConfig(cfg -> cfg.putObject("console").put("max_clients_per_container", 60));
    static final ApiClient api = daemon.api();

    @BeforeAll
    static void floodingContainer() {
        String volume = api.post("/volumes", null).json().get("volume_id").asText();
        api.post("/containers", Map.of(
                "internal_id", "it-flood",
                "image", TestImages.BUSYBOX,
                "volume_id", volume,
                "startup_command", "echo ready; while read l; do [ \"$l\" = flood ] && seq 1 " + LINES
                        + " | sed 's/^/flood line " + PAD + " /'; echo \"got $l\"; done",
                "limits", Map.of("memory", 134217728, "cpu", 1.0)));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                api.get("/containers/it-flood").json().path("install_state").asText().equals("ready"));
        api.post("/containers/it-flood/start", null);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                api.get("/containers/it-flood").json().path("state").asText().equals("running"));
    }

    @Test
    void fiftyReadersGetEveryLineInOrderWhileANonReaderIsDropped() throws Exception {
        List<ConsoleClient> readers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            readers.add(new ConsoleClient(daemon, "it-flood", daemon.token()));
        }
        // a tiny receive buffer, then no reading at all
        try (Socket stalled = RawWebSocket.open(daemon.port(), "/ws/it-flood?token=" + daemon.token(), 4096)) {
            for (ConsoleClient r : readers) {
                r.await("history", event("logs", null));
            }
            readers.getFirst().send("{\"event\":\"send_command\",\"data\":\"flood\"}");
            for (ConsoleClient r : readers) {
                r.await("end of flood", consoleContains("got flood"));
            }
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= LINES; i++) {
                expected.add("flood line " + PAD + " " + i + "\n");
            }
            for (ConsoleClient r : readers) {
                List<String> lines = r.frames().stream().filter(f -> "console".equals(f.path("event").asText()))
                        .map(f -> f.path("data").asText()).filter(l -> l.startsWith("flood line")).toList();
                assertThat(lines).isEqualTo(expected);
                assertThat(r.closed).isNotDone();
            }
            // the stats stream keeps publishing: the next event finds the stalled client stuck and drops it;
            // reading it before then would unstick it, so wait for the daemon to say it dropped it
            await().atMost(Duration.ofSeconds(60)).until(() -> daemon.log().contains("event=console_subscriber_dropped"));
            String closeFrame = readUntilClose(stalled);
            assertThat(closeFrame).contains("client too slow: it stopped reading the console");
        } finally {
            readers.forEach(ConsoleClient::close);
        }
        assertThat(api.get("/containers/it-flood").json().get("state").asText()).isEqualTo("running");
    }

    /** Drains what the server had buffered and returns the close frame's payload. */
    private static String readUntilClose(Socket s) throws Exception {
        s.setSoTimeout(60_000);
        InputStream in = new BufferedInputStream(s.getInputStream());
        while (true) {
            RawWebSocket.Frame frame = RawWebSocket.read(in);
            if (frame == null) {
                return "(connection ended without a close frame)";
            }
            if (frame.opcode() == RawWebSocket.Frame.CLOSE) {
                return new String(frame.payload(), StandardCharsets.UTF_8);
            }
        }
    }

}
