package dev.lightd.console;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import java.time.Duration;
import java.util.LinkedHashMap;

class ConsoleHubTest {

    static final Duration STALL = Duration.ofMinutes(1);
    static final long MAX_BYTES = 1 << 24;

    /** Records what it is sent; optionally never returns from send, like a client that never reads. */
    static final class RecordingSink implements ConsoleSubscription.Sink {
        final List<String> frames = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<String> closedWith = new AtomicReference<>();
        final CountDownLatch stuck;

        RecordingSink(boolean neverReads) {
            stuck = new CountDownLatch(neverReads ? 1 : 0);
        }

        /** Sent but not yet flushed: a client sees nothing until the flush, where a network would block. */
        final List<String> pending = new ArrayList<>();

        @Override
        public void send(ConsoleEvent event) {
            pending.add(event.json());
        }

        /** Counted down when a flush begins: from then on the subscription knows it is sending. */
        final CountDownLatch flushing = new CountDownLatch(1);

        @Override
        public void flush() throws Exception {
            flushing.countDown();
            stuck.await();
            frames.addAll(pending);
            pending.clear();
        }

        @Override
        public void close(String reason) {
            closedWith.set(reason);
            stuck.countDown();
        }
    }

    @Test
    void newSubscriberGetsTheHistoryFirst() {
        ConsoleHub hub = new ConsoleHub(3);
        for (int i = 1; i <= 5; i++) {
            hub.console("line " + i + "\n");
        }
        RecordingSink sink = new RecordingSink(false);
        hub.subscribe(sink, 16, MAX_BYTES, STALL);
        await().until(() -> sink.frames.size() == 1);
        assertThat(sink.frames.getFirst()).isEqualTo("{\"event\":\"logs\",\"data\":\"line 3\\nline 4\\nline 5\\n\"}");
    }

    @Test
    void everySubscriberGetsEveryEventInTheSameOrderWhileASlowOneIsDropped() {
        ConsoleHub hub = new ConsoleHub(100);
        List<RecordingSink> readers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RecordingSink sink = new RecordingSink(false);
            readers.add(sink);
            hub.subscribe(sink, 2048, MAX_BYTES, STALL);
        }
        RecordingSink slow = new RecordingSink(true);
        // a full queue no longer drops a client (it skips lines): the one that never reads is dropped by its stall
        Duration slowStall = Duration.ofMillis(300);
        hub.subscribe(slow, 64, MAX_BYTES, slowStall);
        awaitFlushing(slow); // stuck in its first send (the history): the stall is measured from there
        List<String> expected = new ArrayList<>();
        expected.add("{\"event\":\"logs\",\"data\":\"\"}");
        for (int i = 0; i < 1000; i++) {
            hub.console("line " + i + "\n");
            expected.add("{\"event\":\"console\",\"data\":\"line " + i + "\\n\"}");
        }
        sleepPast(slowStall);
        hub.publish(ConsoleEvent.state("running"));
        expected.add("{\"event\":\"event\",\"data\":\"running\"}");

        await().until(() -> readers.stream().allMatch(r -> r.frames.size() == expected.size()));
        for (RecordingSink r : readers) {
            assertThat(r.frames).containsExactlyElementsOf(expected);
            assertThat(r.closedWith.get()).isNull();
        }
        await().until(() -> slow.closedWith.get() != null);
        assertThat(slow.closedWith.get()).isEqualTo(ConsoleSubscription.TOO_SLOW);
        assertThat(hub.subscriberCount()).isEqualTo(50);
    }

    @Test
    void aSubscriberStuckInOneSendIsDroppedAtTheNextEvent() throws Exception {
        ConsoleHub hub = new ConsoleHub(10);
        RecordingSink stuck = new RecordingSink(true);
        RecordingSink reader = new RecordingSink(false);
        hub.subscribe(stuck, 1000, MAX_BYTES, Duration.ofMillis(200));
        hub.subscribe(reader, 1000, MAX_BYTES, Duration.ofMillis(200));
        awaitFlushing(stuck);
        hub.console("a\n");
        Thread.sleep(400);
        assertThat(stuck.closedWith.get()).isNull();
        hub.console("b\n");
        await().until(() -> stuck.closedWith.get() != null);
        assertThat(stuck.closedWith.get()).isEqualTo(ConsoleSubscription.TOO_SLOW);
        await().until(() -> reader.frames.size() == 3);
        assertThat(reader.closedWith.get()).isNull();
    }

    private static void awaitFlushing(RecordingSink sink) {
        try {
            sink.flushing.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleepPast(Duration d) {
        try {
            Thread.sleep(d.toMillis() + 100);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aReaderSlowerThanTheServerSkipsLinesIsToldHowManyAndStaysConnected() {
        ConsoleHub hub = new ConsoleHub(100);
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> closedWith = new AtomicReference<>();
        hub.subscribe(new ConsoleSubscription.Sink() {
            @Override
            public void send(ConsoleEvent event) throws Exception {
                Thread.sleep(1); // reads, slowly
                got.add(event.type() + " " + event.data());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close(String reason) {
                closedWith.set(reason);
            }
        }, 64, MAX_BYTES, STALL);
        for (int i = 0; i < 2000; i++) {
            hub.console(i + "\n");
        }
        hub.publish(ConsoleEvent.state("running"));
        await().atMost(Duration.ofSeconds(20)).until(() -> got.contains("EVENT running"));
        long lines = 0;
        long skipped = 0;
        int last = -1;
        for (String f : got) {
            if (f.startsWith("CONSOLE ")) {
                int n = Integer.parseInt(f.substring(8).trim());
                assertThat(n).isGreaterThan(last); // in order, only gaps
                last = n;
                lines++;
            } else if (f.startsWith("DAEMON_MESSAGE Skipped ")) {
                skipped += Long.parseLong(f.split(" ")[2]);
            }
        }
        assertThat(skipped).isPositive();
        assertThat(lines + skipped).isEqualTo(2000);
        assertThat(closedWith.get()).isNull();
        assertThat(hub.subscriberCount()).isEqualTo(1);
    }

    @Test
    void theHistoryOnConnectIsBoundedInBytes() {
        ConsoleHub hub = new ConsoleHub(1000, () -> new ConsoleHub.Limits(20_000, 20_000, 1024));
        for (int i = 0; i < 100; i++) {
            hub.console(String.format("%099d\n", i)); // 100 bytes a line
        }
        String history = hub.historyText(1000);
        assertThat(history).hasSize(1000).endsWith(String.format("%099d\n", 99));
        hub.console("é".repeat(2000) + "\n"); // one line of 4001 bytes: its end
        assertThat(ConsoleHub.utf8Length(hub.historyText(1000))).isLessThanOrEqualTo(1024).isGreaterThan(1000);
    }

    @Test
    void outputOverTheBudgetIsDroppedFromTheFanOutAndReportedOnce() {
        ConsoleHub hub = new ConsoleHub(1000, () -> new ConsoleHub.Limits(100, 100, 256 * 1024));
        RecordingSink sink = new RecordingSink(false);
        hub.subscribe(sink, 10_000, MAX_BYTES, STALL);
        for (int i = 0; i < 1100; i++) {
            hub.console("line\n");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.frames.stream().anyMatch(f -> f.contains("daemon_message")));
        List<String> frames = List.copyOf(sink.frames);
        long lines = frames.stream().filter(f -> f.contains("\"console\"")).count();
        assertThat(lines).isBetween(100L, 110L);
        assertThat(frames.getLast()).isEqualTo(ConsoleEvent.daemonMessage(ConsoleHub.floodMessage(1100 - lines, 100)).json());
        assertThat(hub.historyText(2000)).hasSize(1000 * 5); // the history keeps what it keeps
    }

    @Test
    void statsFieldsSitBesideTheEventName() {
        var stats = new LinkedHashMap<String, Object>();
        stats.put("cpu_usage", 25.5);
        stats.put("memory_usage", 536870912L);
        assertThat(ConsoleEvent.stats(stats).json())
                .isEqualTo("{\"event\":\"stats\",\"cpu_usage\":25.5,\"memory_usage\":536870912}");
    }
}
