package dev.lightd.console;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscriber of a {@link ConsoleHub}: a bounded queue drained by its own virtual thread into the
 * sink (a WebSocket, an SSE stream). A client that reads more slowly than the server prints is never
 * dropped for it: once its queue holds {@code capacity} lines it skips lines and is told once per gap
 * how many ({@link SkipAccounting}, {@link #skippedNotice}). Only a client that stopped reading is
 * dropped with a reason: one send stuck longer than the stall timeout, or (never in practice) the
 * reserve for events that are not skipped overflowing as well.
 */
public final class ConsoleSubscription implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleSubscription.class);
    public static final String TOO_SLOW = "client too slow: it stopped reading the console";

    /**
     * Where events go. {@code send} may buffer; {@code flush} pushes what was sent to the client and
     * may block (a slow network). Close ends the connection with a reason.
     */
    public interface Sink {
        void send(ConsoleEvent event) throws Exception;

        void flush() throws Exception;

        void close(String reason);
    }

    /** Events sent between two flushes: one write for many lines when the server prints fast. */
    static final int BATCH = 256;

    private final ConsoleHub hub;
    private final Sink sink;
    /** Room beyond the capacity for events that are never skipped (state, daemon messages, answers). */
    static final int RESERVE = 1024;

    private final ArrayBlockingQueue<ConsoleEvent> queue;
    /** Bytes of the frames waiting in the queue: long lines must not hold more memory than the bound. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final SkipAccounting skips;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread writer;
    private final long stallNanos;
    /** When the send in progress began (0 when idle): a send stuck this long means the client stopped reading. */
    private volatile long sendingSince;

    ConsoleSubscription(ConsoleHub hub, Sink sink, int capacity, long maxBytes, Duration stallTimeout) {
        this.hub = hub;
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(capacity + RESERVE);
        this.skips = new SkipAccounting(capacity, maxBytes);
        this.stallNanos = stallTimeout.toNanos();
        this.writer = Thread.ofVirtual().name("console-writer").unstarted(this::drain);
        writer.start();
    }

    /** The notice a client gets where it skipped lines. */
    public static ConsoleEvent skippedNotice(long lines) {
        return ConsoleEvent.daemonMessage("Skipped " + lines + " console line" + (lines == 1 ? "" : "s")
                + ": this client reads more slowly than the server prints");
    }

    synchronized void offer(ConsoleEvent event) {
        if (closed.get()) {
            return;
        }
        long since = sendingSince;
        if (since != 0 && System.nanoTime() - since > stallNanos) {
            tooSlow();
            return;
        }
        long admit = skips.admit(event.type(), queue.size(), queuedBytes.get());
        if (admit == SkipAccounting.SKIP) {
            return;
        }
        if ((admit > 0 && !enqueue(skippedNotice(admit))) || !enqueue(event)) {
            tooSlow();
        }
    }

    private boolean enqueue(ConsoleEvent event) {
        queuedBytes.addAndGet(event.size());
        if (queue.offer(event)) {
            return true;
        }
        queuedBytes.addAndGet(-event.size());
        return false;
    }

    private void tooSlow() {
        log.info("event=console_subscriber_dropped reason=\"{}\"", TOO_SLOW);
        close(TOO_SLOW);
    }

    /** Sends an event to this subscriber only (e.g. an answer to its own request). */
    public void reply(ConsoleEvent event) {
        offer(event);
    }

    private void drain() {
        List<ConsoleEvent> batch = new ArrayList<>(BATCH);
        try {
            while (!closed.get()) {
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
                sendingSince = System.nanoTime() | 1;
                for (ConsoleEvent event : batch) {
                    queuedBytes.addAndGet(-event.size());
                    sink.send(event);
                }
                sink.flush();
                sendingSince = 0;
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            close("send failed: " + e.getMessage());
        }
    }

    public void close(String reason) {
        if (closed.compareAndSet(false, true)) {
            hub.unsubscribe(this);
            writer.interrupt();
            // The sink may be stuck in a blocking send; closing from another thread frees it.
            Thread.ofVirtual().start(() -> sink.close(reason));
        }
    }

    @Override
    public void close() {
        close("closed");
    }
}
