package dev.lightd.console;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class OutputFloodTest {

    static final long MS = 1_000_000L;

    @Test
    void linesOverTheBudgetAreDroppedAndReportedOnceWhenTheFloodEnds() {
        AtomicLong now = new AtomicLong(1);
        OutputFlood flood = new OutputFlood(new TokenBucket(now::get));
        int admitted = 0;
        for (int i = 0; i < 3000; i++) {
            if (flood.admit(now.get(), 1000, 1000)) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(1000);
        assertThat(flood.inEpisode()).isTrue();
        assertThat(flood.due(now.get())).isZero(); // still flooding
        now.addAndGet(500 * MS);
        assertThat(flood.due(now.get())).isZero(); // not quiet for long enough yet
        now.addAndGet(600 * MS);
        assertThat(flood.due(now.get())).isEqualTo(2000);
        assertThat(flood.inEpisode()).isFalse();
        assertThat(flood.due(now.get())).isZero(); // reported once
    }

    @Test
    void aFloodWithinTheBudgetDropsNothing() {
        AtomicLong now = new AtomicLong(1);
        OutputFlood flood = new OutputFlood(new TokenBucket(now::get));
        for (int i = 0; i < 10_000; i++) {
            now.addAndGet(MS); // 1000 lines a second
            assertThat(flood.admit(now.get(), 1000, 100)).isTrue();
        }
        assertThat(flood.inEpisode()).isFalse();
    }

    @Test
    void aFloodThatGoesOnIsReportedEveryTenSeconds() {
        AtomicLong now = new AtomicLong(1);
        OutputFlood flood = new OutputFlood(new TokenBucket(now::get));
        long reported = 0;
        int reports = 0;
        long dropped = 0;
        for (int ms = 0; ms < 25_000; ms++) {
            now.addAndGet(MS);
            for (int i = 0; i < 5; i++) { // 5000 lines a second against a budget of 1000
                if (!flood.admit(now.get(), 1000, 1000)) {
                    dropped++;
                }
            }
            long due = flood.due(now.get());
            if (due > 0) {
                reports++;
                reported += due;
            }
        }
        assertThat(reports).isEqualTo(2);
        now.addAndGet(1000 * MS);
        reported += flood.due(now.get());
        assertThat(reported).isEqualTo(dropped);
        assertThat(flood.inEpisode()).isFalse();
    }
}
