package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.lightd.it.ConsoleClient.consoleContains;
import static dev.lightd.it.ConsoleClient.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import java.util.concurrent.TimeUnit;

/**
 * Abuse of the console WebSocket (Wings CVE-2025-69199): more sockets than a container allows,
 * an oversized frame, a message flood. Each is refused and the container and daemon carry on. A
 * socket closed by a token's revocation gives its place back; a single-use token refused at the cap
 * is not used up.
 */
class WebSocketAbuseAttackIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages().withVolume();
    static final ApiClient api = daemon.api();

    @BeforeAll
    static void echoContainer() {
        ConsoleContainers.running(api, daemon.volume().id(), "it-wsabuse", ConsoleContainers.ECHO);
    }

    @Test
    void theThirtyFirstSocketIsRefusedWithJsonAndTheCountRecoversWhenClientsLeave() throws Exception {
        List<ConsoleClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                ConsoleClient c = new ConsoleClient(daemon, "it-wsabuse", daemon.token());
                clients.add(c);
                c.await("history", event("logs", null));
            }
            String refused = rawUpgrade("it-wsabuse");
            assertThat(refused).startsWith("HTTP/1.1 429");
            assertThat(refused).containsIgnoringCase("content-type: application/json");
            assertThat(RawWebSocket.body(refused)).isEqualTo(
                    "{\"error\":\"Too many console connections to this container (at most 30)\"}");
            // the 30 still work
            clients.getLast().send("{\"event\":\"send_command\",\"data\":\"still here\"}");
            clients.getFirst().await("echo", consoleContains("got still here"));
        } finally {
            clients.forEach(ConsoleClient::close);
        }
        for (ConsoleClient c : clients) {
            c.closed.get(10, TimeUnit.SECONDS);
        }
        // the count is back to 0 (the gauge), 30 fresh sockets open again, and the 31st is refused again
        await().atMost(Duration.ofSeconds(10)).until(() -> openSockets() == 0);
        List<ConsoleClient> again = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                again.add(new ConsoleClient(daemon, "it-wsabuse", daemon.token()));
            }
            again.forEach(c -> c.await("history", event("logs", null)));
            assertThat(openSockets()).isEqualTo(30);
            assertThat(again).allSatisfy(c -> assertThat(c.closed).isNotDone());
            assertThat(rawUpgrade("it-wsabuse")).startsWith("HTTP/1.1 429");
        } finally {
            again.forEach(ConsoleClient::close);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> openSockets() == 0);
    }

    @Test
    void aSingleUseTokenRefusedAtTheCapIsNotUsedUpAndARevokedSocketGivesItsPlaceBack() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> openSockets() == 0);
        JsonNode once = consoleToken(true);
        JsonNode revocable = consoleToken(false);
        List<ConsoleClient> clients = new ArrayList<>();
        try {
            ConsoleClient byRevocable = new ConsoleClient(daemon, "it-wsabuse", revocable.get("token").asText());
            clients.add(byRevocable);
            for (int i = 0; i < 29; i++) {
                clients.add(new ConsoleClient(daemon, "it-wsabuse", daemon.token()));
            }
            clients.forEach(c -> c.await("history", event("logs", null)));
            String refused = rawUpgrade("it-wsabuse", once.get("token").asText());
            assertThat(refused).startsWith("HTTP/1.1 429");
            assertThat(RawWebSocket.body(refused)).isEqualTo(
                    "{\"error\":\"Too many console connections to this container (at most 30)\"}");

            // revoking a token closes its socket with 4401, and the socket's place is free again
            var revoked = api.delete("/auth/tokens/" + revocable.get("id").asText());
            assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
            assertThat(byRevocable.closed.get(10, TimeUnit.SECONDS)).isEqualTo("4401 token revoked");
            await().atMost(Duration.ofSeconds(10)).until(() -> openSockets() == 29);

            // the single-use token refused at the cap was not used up: it takes the free place, once
            ConsoleClient byOnce = new ConsoleClient(daemon, "it-wsabuse", once.get("token").asText());
            clients.add(byOnce);
            byOnce.await("history", event("logs", null));
            assertThat(openSockets()).isEqualTo(30);
            assertThat(rawUpgrade("it-wsabuse")).startsWith("HTTP/1.1 429");
            assertThat(clients.subList(1, clients.size())).allSatisfy(c -> assertThat(c.closed).isNotDone());
        } finally {
            clients.forEach(ConsoleClient::close);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> openSockets() == 0);
    }

    /** A console token for it-wsabuse, as a panel mints one for a browser. */
    static JsonNode consoleToken(boolean singleUse) {
        var res = api.post("/auth/tokens", Map.of("ttl", "5m", "remove_on_use", singleUse,
                "scopes", List.of("console"), "containers", List.of("it-wsabuse")));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.json();
    }

    /** The gauge lightd_console_sockets of /metrics. */
    static int openSockets() {
        for (String line : api.get("/metrics").body().split("\n")) {
            if (line.startsWith("lightd_console_sockets ")) {
                return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        throw new IllegalStateException("no lightd_console_sockets in /metrics");
    }

    @Test
    void aOneMebibyteFrameClosesTheSocketWith1009() throws Exception {
        ConsoleClient c = new ConsoleClient(daemon, "it-wsabuse", daemon.token());
        c.await("history", event("logs", null));
        String big = "{\"event\":\"send_command\",\"data\":\"" + "a".repeat(1024 * 1024) + "\"}";
        try {
            c.send(big);
        } catch (RuntimeException e) {
            // the server may close while the frame is still being written
        }
        assertThat(c.closed.get(20, TimeUnit.SECONDS)).startsWith("1009");
        // nothing of it reached the server, and the container still answers a normal client
        try (ConsoleClient other = new ConsoleClient(daemon, "it-wsabuse", daemon.token())) {
            other.send("{\"event\":\"send_command\",\"data\":\"after big\"}");
            other.await("echo", consoleContains("got after big"));
            assertThat(other.frames()).noneMatch(consoleContains("aaaaaaaaaa"));
        }
    }

    @Test
    void aThousandMessagesASecondAreThrottledAndMostNeverReachTheContainer() throws Exception {
        try (ConsoleClient flooder = new ConsoleClient(daemon, "it-wsabuse", daemon.token());
             ConsoleClient watcher = new ConsoleClient(daemon, "it-wsabuse", daemon.token())) {
            flooder.await("history", event("logs", null));
            watcher.await("history", event("logs", null));
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                flooder.send("{\"event\":\"send_command\",\"data\":\"spam " + i + "\"}");
                long due = start + (i + 1) * 1_000_000L; // 1000 a second
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            JsonNode throttled = flooder.await("throttled", event("throttled", null));
            assertThat(throttled.path("data").asText()).contains("at most 20 a second");
            // a marker after the flood, once the bucket has refilled: everything before it has been echoed
            Thread.sleep(2500);
            flooder.send("{\"event\":\"send_command\",\"data\":\"marker\"}");
            watcher.await("marker", consoleContains("got marker"));
            long echoed = watcher.frames().stream().filter(consoleContains("got spam ")).count();
            assertThat(echoed).as("spam lines echoed over %.1f s", seconds)
                    .isPositive()
                    .isLessThanOrEqualTo(40 + Math.round(20 * seconds) + 20);
            assertThat(flooder.closed).isNotDone();
        }
    }

    /** A WebSocket upgrade by hand; answers the status line, headers and body the daemon sent. */
    static String rawUpgrade(String id) throws Exception {
        return rawUpgrade(id, daemon.token());
    }

    static String rawUpgrade(String id, String token) throws Exception {
        return RawWebSocket.answer(daemon.port(), "/ws/" + id + "?token=" + token);
    }

}
