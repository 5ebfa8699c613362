package dev.lightd.supervisor;

import dev.lightd.ServiceException;

import java.util.concurrent.CompletableFuture;

/**
 * The power lock of one server (power.go in Wings terms): one action runs at a time, on one
 * virtual thread. A client's request made while an action runs waits in a single slot: a request
 * of the same kind joins the waiting one, another kind replaces it (the last request wins; the
 * replaced one is told it was superseded). The daemon's own housekeeping (reconcile after an
 * outage, a crash restart, following a container started from outside) waits in a slot of its own,
 * runs before the client's, and never replaces a client's request. Kill does not come through
 * here. So a client spamming restart costs one thread and at most three actions, never a queue.
 */
final class PowerQueue {

    private record Request(String kind, Runnable body, CompletableFuture<Void> done) {}

    private final String threadName;
    private Request running;
    private Request housekeeping;
    private Request pending;
    private String closedReason;

    PowerQueue(String threadName) {
        this.threadName = threadName;
    }

    /** A client's request. */
    synchronized CompletableFuture<Void> submit(String kind, Runnable body) {
        if (closedReason != null) {
            return CompletableFuture.failedFuture(ServiceException.conflict(closedReason));
        }
        Request request = new Request(kind, body, new CompletableFuture<>());
        if (startIfIdle(request)) {
            return request.done();
        }
        if (pending != null) {
            if (pending.kind().equals(kind)) {
                return pending.done();
            }
            supersede(pending, "a later " + kind + " request");
        }
        pending = request;
        return request.done();
    }

    /** The daemon's own action; one already waiting takes it in (they all bring the server into line). */
    synchronized CompletableFuture<Void> housekeeping(String kind, Runnable body) {
        if (closedReason != null) {
            return CompletableFuture.failedFuture(ServiceException.conflict(closedReason));
        }
        Request request = new Request(kind, body, new CompletableFuture<>());
        if (startIfIdle(request)) {
            return request.done();
        }
        if (housekeeping == null) {
            housekeeping = request;
        }
        return housekeeping.done();
    }

    private boolean startIfIdle(Request request) {
        if (running != null) {
            return false;
        }
        running = request;
        Thread.ofVirtual().name(threadName).start(this::drain);
        return true;
    }

    private void drain() {
        Request r;
        synchronized (this) {
            r = running;
        }
        while (r != null) {
            try {
                r.body().run();
                r.done().complete(null);
            } catch (Throwable e) {
                r.done().completeExceptionally(e);
            }
            synchronized (this) {
                if (housekeeping != null) {
                    running = housekeeping;
                    housekeeping = null;
                } else {
                    running = pending;
                    pending = null;
                }
                r = running;
                notifyAll();
            }
        }
    }

    /** Drops the client's waiting request (a kill makes it moot). */
    synchronized void dropPending(String why) {
        if (pending != null) {
            supersede(pending, why);
            pending = null;
        }
    }

    /**
     * Refuses every later request with the reason, drops the waiting ones and waits (at most the
     * timeout) for the running one to end.
     */
    synchronized boolean close(String reason, long timeoutMillis) throws InterruptedException {
        closedReason = reason;
        dropPending(reason);
        if (housekeeping != null) {
            supersede(housekeeping, reason);
            housekeeping = null;
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (running != null) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private static void supersede(Request r, String by) {
        r.done().completeExceptionally(ServiceException.conflict("Power action '" + r.kind() + "' superseded by " + by));
    }
}
