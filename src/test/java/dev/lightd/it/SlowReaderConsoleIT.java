package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.awaitility.core.ConditionTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A console client that keeps reading, only at a fifth of the rate the server prints, is never
 * disconnected: it skips lines where it falls too far behind and is told, once per gap, how many.
 * Every line is either received (in order) or counted in a notice.
 */
class SlowReaderConsoleIT {

    static final int LINES = 24_000;
    static final String PAD = "y".repeat(60);
    /** The server prints 200 lines every 0.1 s: about 2,000 lines a second for 12 s. */
    static final String PRINTER = "echo ready; while read l; do if [ \"$l\" = go ]; then i=0; while [ $i -lt " + LINES
            + " ]; do seq $((i+1)) $((i+200)) | sed 's/^/slow line " + PAD + " /'; i=$((i+200)); sleep 0.1; done; fi;"
            + " echo \"finished $l\"; done";
    /** The slow client takes one frame every 2.5 ms: 400 a second, a fifth of what the server prints. */
    static final long READ_NANOS = 2_500_000;
    static final Pattern SKIPPED = Pattern.compile("^Skipped (\\d+) console lines?: ");

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages().withVolume()
            .withConfig(cfg -> {
                // a small queue, so that 12 s of output is enough to make the slow reader skip
                cfg.putObject("console").put("client_queue_events", 1000);
                // on loopback a full receive window reopens only in steps of the 64 KiB MSS, so one send to
                // a slow reader can wait for seconds of its reading, more on a loaded machine: the reader
                // is not on trial for the stall timeout here (SlowConsoleAttackIT is), so it is generous
                cfg.putObject("monitoring").put("console_stall_timeout_ms", 30_000);
            });
    static final ApiClient api = daemon.api();

    @BeforeAll
    static void printer() {
        ConsoleContainers.running(api, daemon.volume().id(), "it-slowreader", PRINTER);
    }

    /**
     * Reads one frame every 2.5 ms on average (400 a second), a fifth of the 2,000 lines a second printed, on a
     * socket with a small receive buffer (so the kernel does not hold the whole output for it; not
     * tiny either: a 4 KiB window on loopback can stall in zero-window probes for seconds under load).
     */
    static final class SlowClient implements AutoCloseable {
        final List<JsonNode> frames = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final Socket socket;
        final Thread reader;

        SlowClient(String id) throws Exception {
            socket = RawWebSocket.open(daemon.port(), "/ws/" + id + "?token=" + daemon.token(), 64 * 1024);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1024);
            reader = Thread.ofPlatform().daemon().start(() -> read(in));
        }

        private void read(InputStream in) {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            long start = System.nanoTime();
            long read = 0;
            try {
                while (true) {
                    RawWebSocket.Frame frame = RawWebSocket.read(in);
                    if (frame == null) {
                        closed.complete("ended");
                        return;
                    }
                    if (frame.opcode() == RawWebSocket.Frame.CLOSE) {
                        closed.complete("close " + new String(frame.payload(), StandardCharsets.UTF_8));
                        return;
                    }
                    if (frame.opcode() == RawWebSocket.Frame.TEXT || frame.opcode() == RawWebSocket.Frame.CONTINUATION) {
                        message.write(frame.payload());
                        if (frame.fin()) {
                            frames.add(ApiClient.json(message.toString(StandardCharsets.UTF_8)));
                            message.reset();
                            // paced by the clock, not by sleeps that a loaded machine stretches: 400 a second on average
                            long due = start + ++read * READ_NANOS;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(Duration.ofNanos(wait));
                            }
                        }
                    }
                }
            } catch (Exception e) {
                closed.complete("error " + e);
            }
        }

        long consoleLines() {
            synchronized (frames) {
                return frames.stream().filter(f -> "console".equals(f.path("event").asText())).count();
            }
        }

        List<Long> skipNotices() {
            List<Long> out = new ArrayList<>();
            synchronized (frames) {
                for (JsonNode f : frames) {
                    if ("daemon_message".equals(f.path("event").asText())) {
                        Matcher m = SKIPPED.matcher(f.path("data").asText());
                        if (m.find()) {
                            out.add(Long.parseLong(m.group(1)));
                        }
                    }
                }
            }
            return out;
        }

        long accountedFor() {
            return consoleLines() + skipNotices().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    /** Console lines received plus lines a skip notice told of. */
    static long accountedFor(List<JsonNode> frames) {
        long n = 0;
        for (JsonNode f : frames) {
            String event = f.path("event").asText();
            if ("console".equals(event)) {
                n++;
            } else if ("daemon_message".equals(event)) {
                Matcher m = SKIPPED.matcher(f.path("data").asText());
                if (m.find()) {
                    n += Long.parseLong(m.group(1));
                }
            }
        }
        return n;
    }

    @Test
    void aClientReadingAtAFifthOfTheRateStaysConnectedAndIsToldWhatItSkipped() throws Exception {
        try (SlowClient slow = new SlowClient("it-slowreader");
             ConsoleClient fast = new ConsoleClient(daemon, "it-slowreader", daemon.token())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !slow.frames.isEmpty()); // the history
            long start = System.nanoTime();
            fast.send("{\"event\":\"send_command\",\"data\":\"go\"}");
            // a client keeping up: done when it has taken (or, on a loaded machine, been told of) every line
            await().alias("the end of the output").atMost(Duration.ofSeconds(90))
                    .until(() -> accountedFor(fast.frames()) >= LINES + 1);
            double printSeconds = (System.nanoTime() - start) / 1e9;
            // everything after the history: the printed lines and "finished go", each received or counted as skipped
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> slow.accountedFor() >= LINES + 1);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the slow reader took " + slow.consoleLines() + " lines and was told of "
                        + slow.skipNotices() + " skipped, of " + (LINES + 1) + "; closed: " + slow.closed.getNow("no"), e);
            }
            long fastLines = fast.frames().stream().filter(f -> "console".equals(f.path("event").asText())).count();
            String report = String.format("printed in %.1f s; the slow reader took %d lines, was told of %s skipped;"
                    + " the other client took %d", printSeconds, slow.consoleLines(), slow.skipNotices(), fastLines);
            System.out.println("SlowReaderConsoleIT: " + report);
            assertThat(slow.accountedFor()).as(report).isEqualTo(LINES + 1);
            assertThat(slow.closed).as(report).isNotDone();
            List<Long> notices = slow.skipNotices();
            assertThat(notices).isNotEmpty().allSatisfy(n -> assertThat(n).isPositive());
            // it got a good share of the lines, in order, with gaps only where it was told
            List<Long> numbers = new ArrayList<>();
            synchronized (slow.frames) {
                for (JsonNode f : slow.frames) {
                    String line = f.path("data").asText();
                    if ("console".equals(f.path("event").asText()) && line.startsWith("slow line")) {
                        numbers.add(Long.parseLong(line.substring(line.lastIndexOf(' ') + 1).trim()));
                    }
                }
            }
            assertThat(numbers).isSorted().doesNotHaveDuplicates();
            assertThat(numbers.size()).isGreaterThan(LINES / 10);
            // the other client of the same console was not slowed by the slow one: it has every line,
            // received or (only if the machine was too busy for it to keep up) told of
            assertThat(accountedFor(fast.frames())).as(report).isEqualTo(LINES + 1);
            assertThat(fast.closed).isNotDone();
        }
    }
}
