package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lightd.config.LightdConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.lightd.it.ConsoleClient.consoleContains;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server printing as fast as it can for 10 s (a plugin printing in a loop): its excess output is
 * dropped from the live console with one daemon message saying how many lines, while another
 * container's console still echoes and the daemon keeps answering. The bounds are counts (lines let
 * through against the budget, messages against episodes), never times: the daemon's CPU share and
 * the echo and API latencies are measured and printed for information only, as a shared machine
 * makes any bound on them flaky.
 */
@Isolated
class ConsoleFloodAttackIT {

    static final int FLOOD_SECONDS = 10;
    /** On "flood": seq as fast as it goes for 10 s, then "flood over". */
    static final String FLOODER = "echo ready; while read l; do if [ \"$l\" = flood ]; then seq 1 2000000000 & p=$!;"
            + " sleep " + FLOOD_SECONDS + "; kill $p; wait $p; fi; echo \"flood over $l\"; done";
    static final Pattern DROPPED = Pattern.compile("^Console output throttled: (\\d+) lines? dropped");
    /** The default output budget (console.output_lines_per_second, console.output_burst_lines). */
    static final LightdConfig.ConsoleConfig BUDGET = LightdConfig.ConsoleConfig.defaults();
    /** Lines the flooder prints outside the flood ("ready", "flood over ..."), with room to spare. */
    static final int OUTSIDE_THE_FLOOD = 10;

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages().withVolume();
    static final ApiClient api = daemon.api();

    @BeforeAll
    static void containers() {
        ConsoleContainers.running(api, daemon.volume().id(), "it-flooder", FLOODER);
        ConsoleContainers.running(api, daemon.volume().id(), "it-quiet", ConsoleContainers.ECHO);
    }

    /** Counts console frames and keeps the daemon messages: a client of the flood that holds no lines. */
    static final class CountingClient implements WebSocket.Listener {
        final AtomicLong lines = new AtomicLong();
        final AtomicLong lastLineAt = new AtomicLong();
        final List<String> daemonMessages = Collections.synchronizedList(new ArrayList<>());
        final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (text.startsWith("{\"event\":\"console\"")) {
                    lines.incrementAndGet();
                    lastLineAt.set(System.nanoTime());
                } else if (text.startsWith("{\"event\":\"daemon_message\"")) {
                    daemonMessages.add(ApiClient.json(text).path("data").asText());
                }
            }
            webSocket.request(1);
            return null;
        }

        long dropped() {
            long sum = 0;
            synchronized (daemonMessages) {
                for (String m : daemonMessages) {
                    Matcher matcher = DROPPED.matcher(m);
                    if (matcher.find()) {
                        sum += Long.parseLong(matcher.group(1));
                    }
                }
            }
            return sum;
        }
    }

    @Test
    void aFloodIsCutToTheBudgetAndToldWhileAnotherConsoleAndTheApiStayResponsive() throws Exception {
        CountingClient counter = new CountingClient();
        WebSocket flooderSocket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + daemon.port() + "/ws/it-flooder?token=" + daemon.token()),
                        counter).join();
        try (ConsoleClient quiet = new ConsoleClient(daemon, "it-quiet", daemon.token())) {
            quiet.await("history", ConsoleClient.event("logs", null));
            Duration cpuBefore = daemonCpu();
            long start = System.nanoTime();
            flooderSocket.sendText("{\"event\":\"send_command\",\"data\":\"flood\"}", true).join();
            Thread.sleep(1500); // the flood is under way
            // measured for the report only: a shared machine makes any latency bound a coin toss
            List<Long> echoMillis = new ArrayList<>();
            List<Long> listMillis = new ArrayList<>();
            int i = 0;
            do {
                String word = "ping" + i++;
                long t0 = System.nanoTime();
                quiet.send("{\"event\":\"send_command\",\"data\":\"" + word + "\"}");
                await().alias("echo of " + word + " on the other console during the flood")
                        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> quiet.frames().stream().anyMatch(consoleContains("got " + word)));
                echoMillis.add((System.nanoTime() - t0) / 1_000_000);
                long t1 = System.nanoTime();
                ApiClient.Response list = api.get("/containers");
                listMillis.add((System.nanoTime() - t1) / 1_000_000);
                assertThat(list.status()).isEqualTo(200);
                assertThat(list.json().path("containers")).hasSize(2);
                Thread.sleep(500);
            } while (System.nanoTime() - start < (FLOOD_SECONDS - 1) * 1_000_000_000L);
            // the report comes once no line was dropped for a second: the daemon is through the flood
            await().alias("the drop message").atMost(Duration.ofSeconds(60)).until(() -> counter.dropped() > 0);
            // lines first, then the time: every line counted was let through before this moment
            long lines = counter.lines.get();
            long dropped = counter.dropped();
            int floodMessages = floodMessages(counter);
            double seconds = (System.nanoTime() - start) / 1e9;
            Duration cpu = daemonCpu().minus(cpuBefore);
            String report = String.format("%.1f s from the flood command to the drop message: %d lines to the"
                            + " client (the last %.1f s after the command), %d dropped in %d message(s);"
                            + " for information: daemon CPU %d ms (%.0f%% of one core), echo ms %s,"
                            + " GET /containers ms %s", seconds, lines,
                    (counter.lastLineAt.get() - start) / 1e9, dropped, floodMessages, cpu.toMillis(),
                    cpu.toMillis() / (seconds * 10), echoMillis, listMillis);
            System.out.println("ConsoleFloodAttackIT: " + report);
            // the live console got at most the budget over the time the test watched it (a bucket holds
            // one burst at most), plus the lines printed outside the flood ("ready", "flood over")
            assertThat(lines).as(report).isLessThanOrEqualTo(
                    Math.round(BUDGET.outputLinesPerSecond() * seconds) + BUDGET.outputBurstLines() + OUTSIDE_THE_FLOOD);
            // the rest was counted and told once per episode, not per line: an episode ends after a quiet
            // second (so two ends are at least a second apart) and one that goes on is also told every 10 s
            assertThat(dropped).as(report).isPositive();
            assertThat(floodMessages).as(report).isPositive()
                    .isLessThanOrEqualTo((int) (Math.ceil(seconds) + Math.ceil(seconds / 10)) + 1);
            JsonNode state = api.get("/containers/it-quiet").json();
            assertThat(state.path("state").asText()).isEqualTo("running");
        } finally {
            flooderSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    private static int floodMessages(CountingClient counter) {
        synchronized (counter.daemonMessages) {
            return (int) counter.daemonMessages.stream().filter(m -> DROPPED.matcher(m).find()).count();
        }
    }

    private static Duration daemonCpu() {
        return ProcessHandle.of(daemon.pid()).flatMap(p -> p.info().totalCpuDuration())
                .orElseThrow(() -> new IllegalStateException("no CPU time for the daemon's process"));
    }
}
