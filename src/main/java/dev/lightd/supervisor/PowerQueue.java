package dev.lightd.supervisor;

import dev.lightd.ServiceException;

import java.util.concurrent.CompletableFuture;

/**
 * The power lock of one server (power.go in Wings terms): one action runs at a time, on one
 * virtual thread. A request made while an action runs waits in a single pending slot: a request of
 * the same kind joins the pending one, another kind replaces it (the last request wins; the
 * replaced one is told it was superseded). Kill does not come through here. So a client spamming
 * restart costs one thread and at most two actions, never a queue.
 */
final class PowerQueue {

    private record Request(String kind, Runnable body, CompletableFuture<Void> done) {}

    private final String threadName;
    private Request running;
    private Request pending;
    private String closedReason;

    PowerQueue(String threadName) {
        this.threadName = threadName;
    }

    synchronized CompletableFuture<Void> submit(String kind, Runnable body) {
        if (closedReason != null) {
            return CompletableFuture.failedFuture(ServiceException.conflict(closedReason));
        }
        Request request = new Request(kind, body, new CompletableFuture<>());
        if (running == null) {
            running = request;
            Thread.ofVirtual().name(threadName).start(this::drain);
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
                running = pending;
                pending = null;
                r = running;
                notifyAll();
            }
        }
    }

    /** Drops the waiting request (a kill makes it moot). */
    synchronized void dropPending(String why) {
        if (pending != null) {
            supersede(pending, why);
            pending = null;
        }
    }

    /**
     * Refuses every later request with the reason, drops the waiting one and waits (at most the
     * timeout) for the running one to end.
     */
    synchronized boolean close(String reason, long timeoutMillis) throws InterruptedException {
        closedReason = reason;
        dropPending(reason);
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
