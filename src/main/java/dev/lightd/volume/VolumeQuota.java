package dev.lightd.volume;

import dev.lightd.ServiceException;
import dev.lightd.fs.DiskBudget;
import dev.lightd.fs.DiskReserve;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

/**
 * One volume's size limit and its usage figure. The figure is measured by a walk the first time a
 * limited volume is written to, then kept by the API's own writes (reserved before, given back when
 * not kept or freed) and set again by every periodic walk ({@link QuotaWatch}), which is how writes
 * from inside the container get counted. Reservations are atomic, so concurrent writes cannot
 * together pass the limit. Without a limit no figure is kept and only the node's reserve applies.
 */
final class VolumeQuota implements DiskBudget {

    static final String EXCEEDED = "Disk quota exceeded: ";
    /** How long a walk waits for the API writes in progress before it counts without them finished. */
    static final Duration WAIT_FOR_WRITES = Duration.ofSeconds(2);

    private final DiskReserve reserve;
    private final LongSupplier walk;
    private final AtomicLong used = new AtomicLong();
    /** Writes share it for their duration; a walk takes it alone so it never sees half a write. */
    private final ReentrantReadWriteLock writes = new ReentrantReadWriteLock(true);
    private volatile long limit;
    private volatile boolean measured;

    /**
     * @param walk measures the volume's bytes now (a walk of its tree)
     */
    VolumeQuota(long limit, DiskReserve reserve, LongSupplier walk) {
        this.limit = limit;
        this.reserve = reserve;
        this.walk = walk;
    }

    long limit() {
        return limit;
    }

    /** A new limit (0: none); the figure is measured again before the next write that needs it. */
    synchronized void limit(long bytes) {
        limit = bytes;
        measured = false;
    }

    /** The figure, measured first if it never was. */
    long used() {
        ensureMeasured();
        return used.get();
    }

    /**
     * Walks the volume and takes the result as the figure; answers it. Waits for the API writes in
     * progress to finish first (new ones wait for the walk), at most {@link #WAIT_FOR_WRITES}: a
     * write that takes longer (a large extraction) does not hold up the check of what the container
     * wrote, and the figure is then off by at most that write until the next walk.
     */
    long measure() {
        boolean alone;
        try {
            alone = writes.writeLock().tryLock(WAIT_FOR_WRITES.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            alone = false;
        }
        try {
            return walkNow();
        } finally {
            if (alone) {
                writes.writeLock().unlock();
            }
        }
    }

    private synchronized long walkNow() {
        long now = walk.getAsLong();
        used.set(now);
        measured = true;
        return now;
    }

    @Override
    public Hold hold() {
        if (limit <= 0) {
            return () -> {};
        }
        writes.readLock().lock();
        return writes.readLock()::unlock;
    }

    boolean overLimit() {
        long lim = limit;
        return lim > 0 && used() > lim;
    }

    @Override
    public void reserve(long bytes, String what) {
        reserve.check(bytes, what);
        long lim = limit;
        if (lim <= 0) {
            return;
        }
        ensureMeasured();
        while (true) {
            long u = used.get();
            if (u + bytes > lim) {
                throw ServiceException.insufficientStorage(EXCEEDED + what + " would pass the volume's limit of "
                        + lim + " bytes (" + u + " in use)");
            }
            if (used.compareAndSet(u, u + bytes)) {
                return;
            }
        }
    }

    @Override
    public void release(long bytes) {
        if (limit > 0 && measured) {
            used.updateAndGet(u -> Math.max(0, u - bytes));
        }
    }

    private void ensureMeasured() {
        if (!measured) {
            synchronized (this) {
                if (!measured) {
                    walkNow(); // the caller may hold a write: no waiting for the walk's lock here
                }
            }
        }
    }
}
