package dev.lightd.jvm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Gives heap back to the system after a burst. The serial collector shrinks the heap only in a full
 * collection, which a quiet daemon may never need: after 100 console clients or a 500 MB archive the
 * RSS stayed at 375-665 MB for good (docs/performance.md). So, at each interval, a heap that has
 * grown past {@link #FLOOR_BYTES} and by half since the last trim gets one full collection (a few
 * tens of milliseconds on this daemon's live data). A heap that stays large because its live data is
 * large is not collected again until it grows further: the cost is bounded, like G1's periodic
 * collection that this stands in for.
 */
public final class HeapTrim implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeapTrim.class);

    /** Committed heap below this is left alone: the idle daemon's heap is 15-25 MB. */
    static final long FLOOR_BYTES = 96L << 20;

    private final LongSupplier committed;
    private final Runnable collect;
    private final Supplier<Duration> interval;
    private final Thread thread;
    private long afterLastTrim;

    /** The JVM's own heap, collected with System.gc(); interval 0 turns it off (read before each pause). */
    public static HeapTrim ofThisJvm(Supplier<Duration> interval) {
        var memory = ManagementFactory.getMemoryMXBean();
        return new HeapTrim(() -> memory.getHeapMemoryUsage().getCommitted(), System::gc, interval);
    }

    HeapTrim(LongSupplier committed, Runnable collect, Supplier<Duration> interval) {
        this.committed = committed;
        this.collect = collect;
        this.interval = interval;
        this.thread = Thread.ofPlatform().daemon().name("heap-trim").unstarted(this::run);
    }

    public HeapTrim start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            Duration pause = interval.get();
            try {
                Thread.sleep(on(pause) ? pause : Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                return;
            }
            if (on(interval.get())) { // read again: a reload to 0 during the pause turns it off at once
                checkOnce();
            }
        }
    }

    private static boolean on(Duration interval) {
        return interval.isPositive();
    }

    /** One look: collects when the heap is past the floor and half again what the last trim left. */
    boolean checkOnce() {
        long before = committed.getAsLong();
        if (before < FLOOR_BYTES || (afterLastTrim > 0 && before < afterLastTrim + afterLastTrim / 2)) {
            return false;
        }
        collect.run();
        afterLastTrim = committed.getAsLong();
        log.info("event=heap_trimmed committed_before_mb={} committed_after_mb={}", before >> 20, afterLastTrim >> 20);
        return true;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
