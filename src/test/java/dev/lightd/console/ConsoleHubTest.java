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

    /** Records what it is sent; optionally never returns from send, like a client that never reads. */
    static final class RecordingSink implements ConsoleSubscription.Sink {
        final List<String> frames = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<String> closedWith = new AtomicReference<>();
        final CountDownLatch stuck;

        RecordingSink(boolean neverReads) {
            stuck = new CountDownLatch(neverReads ? 1 : 0);
        }

        @Override
        public void send(ConsoleEvent event) throws Exception {
            stuck.await();
            frames.add(event.json());
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
        hub.subscribe(sink, 16, STALL);
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
            hub.subscribe(sink, 2048, STALL);
        }
        RecordingSink slow = new RecordingSink(true);
        hub.subscribe(slow, 64, STALL);
        List<String> expected = new ArrayList<>();
        expected.add("{\"event\":\"logs\",\"data\":\"\"}");
        for (int i = 0; i < 1000; i++) {
            hub.console("line " + i + "\n");
            expected.add("{\"event\":\"console\",\"data\":\"line " + i + "\\n\"}");
        }
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
        hub.subscribe(stuck, 1000, Duration.ofMillis(200));
        hub.subscribe(reader, 1000, Duration.ofMillis(200));
        hub.console("a\n");
        Thread.sleep(400);
        assertThat(stuck.closedWith.get()).isNull();
        hub.console("b\n");
        await().until(() -> stuck.closedWith.get() != null);
        assertThat(stuck.closedWith.get()).isEqualTo(ConsoleSubscription.TOO_SLOW);
        await().until(() -> reader.frames.size() == 3);
        assertThat(reader.closedWith.get()).isNull();
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
