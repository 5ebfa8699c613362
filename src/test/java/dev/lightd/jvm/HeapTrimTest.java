package dev.lightd.jvm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class HeapTrimTest {

    private static final long MB = 1L << 20;

    private final AtomicLong committed = new AtomicLong();
    private final AtomicInteger collections = new AtomicInteger();
    /** A collection leaves the heap at 40 MB, as the daemon's live data would. */
    private final HeapTrim trim = new HeapTrim(committed::get, () -> {
        collections.incrementAndGet();
        committed.set(40 * MB);
    }, () -> Duration.ofMinutes(1));

    @Test
    void aHeapBelowTheFloorIsLeftAlone() {
        committed.set(HeapTrim.FLOOR_BYTES - 1);

        assertThat(trim.checkOnce()).isFalse();
        assertThat(collections).hasValue(0);
    }

    @Test
    void aHeapGrownPastTheFloorIsCollectedOnce() {
        committed.set(600 * MB);

        assertThat(trim.checkOnce()).isTrue();
        assertThat(committed.get()).isEqualTo(40 * MB);
        assertThat(trim.checkOnce()).isFalse();
        assertThat(collections).hasValue(1);
    }

    @Test
    void aHeapThatStaysLargeIsNotCollectedAgainUntilItGrowsByHalf() {
        HeapTrim largeLive = new HeapTrim(committed::get, collections::incrementAndGet, () -> Duration.ofMinutes(1));
        committed.set(400 * MB);
        assertThat(largeLive.checkOnce()).isTrue();

        committed.set(590 * MB);
        assertThat(largeLive.checkOnce()).isFalse();
        committed.set(600 * MB);
        assertThat(largeLive.checkOnce()).isTrue();
        assertThat(collections).hasValue(2);
    }
}
