package dev.lightd.volume;

import dev.lightd.ServiceException;
import dev.lightd.fs.DiskBudget;
import dev.lightd.fs.DiskReserve;

import java.util.concurrent.atomic.AtomicLong;
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

    private final DiskReserve reserve;
    private final LongSupplier walk;
    private final AtomicLong used = new AtomicLong();
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

    /** Walks the volume and takes the result as the figure; answers it. */
    synchronized long measure() {
        long now = walk.getAsLong();
        used.set(now);
        measured = true;
        return now;
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
                    measure();
                }
            }
        }
    }
}
