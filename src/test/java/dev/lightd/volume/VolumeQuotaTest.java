package dev.lightd.volume;

import dev.lightd.ServiceException;
import dev.lightd.fs.DiskReserve;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The usage figure and its reservations, with the walk replaced by a number the test sets. */
class VolumeQuotaTest {

    final AtomicLong onDisk = new AtomicLong();
    final AtomicInteger walks = new AtomicInteger();

    VolumeQuota quota(long limit) {
        return new VolumeQuota(limit, DiskReserve.none(), () -> {
            walks.incrementAndGet();
            return onDisk.get();
        });
    }

    @Test
    void theFirstReservationMeasuresOnceAndLaterOnesUseTheKeptFigure() {
        onDisk.set(100);
        VolumeQuota q = quota(1000);
        q.reserve(200, "writing 200 bytes");
        q.reserve(300, "writing 300 bytes");
        assertThat(walks).hasValue(1);
        assertThat(q.used()).isEqualTo(600);
    }

    @Test
    void aReservationPastTheLimitIsRefusedWith507AndTheFigureUnchanged() {
        onDisk.set(900);
        VolumeQuota q = quota(1000);
        assertThatThrownBy(() -> q.reserve(101, "writing 101 bytes"))
                .isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.INSUFFICIENT_STORAGE))
                .hasMessage("Disk quota exceeded: writing 101 bytes would pass the volume's limit of 1000 bytes (900 in use)");
        assertThat(q.used()).isEqualTo(900);
        q.reserve(100, "exactly up to the limit");
        assertThat(q.used()).isEqualTo(1000);
    }

    @Test
    void zeroBytesAreRefusedOnlyWhenAlreadyOver() {
        onDisk.set(1000);
        quota(1000).reserve(0, "making a folder");
        onDisk.set(1001);
        assertThatThrownBy(() -> quota(1000).reserve(0, "making a folder"))
                .hasMessageStartingWith("Disk quota exceeded: making a folder would pass");
    }

    @Test
    void releasesGiveBackAndNeverGoBelowZero() {
        VolumeQuota q = quota(1000);
        q.reserve(500, "w");
        q.release(200);
        assertThat(q.used()).isEqualTo(300);
        q.release(10_000);
        assertThat(q.used()).isZero();
    }

    @Test
    void withoutALimitNothingIsMeasuredNorRefused() {
        VolumeQuota q = quota(0);
        q.reserve(Long.MAX_VALUE / 2, "a lot");
        q.release(5);
        assertThat(walks).hasValue(0);
        assertThat(q.overLimit()).isFalse();
    }

    @Test
    void aNewLimitMeasuresAgainBeforeTheNextWrite() {
        VolumeQuota q = quota(0);
        onDisk.set(700);
        q.limit(1000);
        assertThatThrownBy(() -> q.reserve(400, "writing 400 bytes")).hasMessageContaining("(700 in use)");
        assertThat(walks).hasValue(1);
    }

    @Test
    void aWalkReplacesTheFigureAndTellsWhetherItIsOver() {
        VolumeQuota q = quota(1000);
        q.reserve(100, "w");
        onDisk.set(5000); // written from inside the container
        assertThat(q.measure()).isEqualTo(5000);
        assertThat(q.overLimit()).isTrue();
        onDisk.set(10);
        q.measure();
        assertThat(q.overLimit()).isFalse();
    }

    @Test
    void concurrentReservationsNeverTogetherPassTheLimit() throws Exception {
        VolumeQuota q = quota(10_000);
        AtomicInteger granted = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 1000; i++) {
                pool.submit(() -> {
                    try {
                        q.reserve(100, "w");
                        granted.incrementAndGet();
                    } catch (ServiceException refused) {
                        // over the limit
                    }
                });
            }
        }
        assertThat(granted).hasValue(100);
        assertThat(q.used()).isEqualTo(10_000);
    }

    @Test
    void theNodeReserveIsCheckedFirstEvenWithoutALimit() {
        VolumeQuota q = new VolumeQuota(0, new DiskReserve(() -> 50, () -> 40), () -> 0);
        q.reserve(10, "writing 10 bytes");
        assertThatThrownBy(() -> q.reserve(11, "writing 11 bytes"))
                .hasMessage("Disk full: writing 11 bytes would leave less than 40 bytes free on the data filesystem"
                        + " (storage.reserved_free_bytes)");
    }
}
