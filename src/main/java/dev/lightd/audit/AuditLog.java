package dev.lightd.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.lightd.ServiceException;
import dev.lightd.json.Json;
import dev.lightd.store.AuditStore;
import dev.lightd.store.AuditStore.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The audit log of both faces. {@link #record} never fails and never waits on the store: events go
 * to a bounded queue that one writer thread empties in batches (one transaction each), then hands
 * the stored entries to live subscribers. A read ({@link #query} and the others) first waits, briefly,
 * until everything recorded before it is stored, so a client that acted and then reads the log sees
 * its action. Entries older than the retention are pruned at start and then periodically, in
 * bounded batches ({@link AuditStore#deleteBefore}).
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    /** The largest page (mcctl-console's export asks for 5000 rows in one page). */
    public static final int MAX_LIMIT = 5000;
    public static final int DEFAULT_LIMIT = 50;
    /** Events waiting for the writer; past this a request waits up to {@link #ENQUEUE_WAIT}, then the event is dropped and logged. */
    static final int QUEUE_CAPACITY = 10_000;
    static final Duration ENQUEUE_WAIT = Duration.ofSeconds(2);
    static final int BATCH = 500;
    /** Entries a live subscriber may have unread; a subscriber further behind is dropped. */
    static final int FEED_CAPACITY = 1000;
    /** How long a read waits for earlier events to be stored. */
    static final Duration FLUSH_WAIT = Duration.ofSeconds(2);
    /** The serialised details of one entry are at most this long; larger ones are replaced by a note. */
    static final int MAX_DETAILS_CHARS = 4096;

    public record Stats(long total, Map<String, Long> byAction, long success, long failure, Map<String, Long> byActor,
                        List<AuditEntry> recent, Instant oldest, Instant newest) {}

    public record Related(List<AuditEntry> sameTarget, List<AuditEntry> sameActor) {}

    public record Purge(long deleted, boolean dryRun) {}

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final Set<String> STATUSES = Set.of("success", "failure");

    private final AuditStore store;
    private final Clock clock;
    private final Supplier<Duration> retention;
    private final BlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();
    private final Object progress = new Object();
    private long enqueued;
    private long written;
    private final Thread writer;
    private final ScheduledExecutorService pruner;

    /**
     * @param retention how long entries are kept (read at each prune, so a config reload applies)
     * @param pruneEvery how often entries past the retention are deleted (also once at start)
     */
    public AuditLog(AuditStore store, Clock clock, Supplier<Duration> retention, Duration pruneEvery) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        this.writer = Thread.ofPlatform().daemon().name("audit-writer").start(this::writeLoop);
        this.pruner = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("audit-pruner").factory());
        pruner.scheduleWithFixedDelay(this::pruneQuietly, 0, pruneEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Queues the event for the store; never throws. Waits only when the queue is full. */
    public void record(AuditEvent event) {
        try {
            synchronized (progress) {
                // counted before it is queued, so the writer never passes the count
                enqueued++;
            }
            if (!queue.offer(event, ENQUEUE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.error("event=audit_dropped action={} actor={} reason=queue_full", event.action(), event.actor());
                advance(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            advance(1);
        } catch (RuntimeException e) {
            log.error("event=audit_dropped action={} error=\"{}\"", event.action(), e.getMessage());
            advance(1);
        }
    }

    public record Page(List<AuditEntry> entries, long total) {}

    public Page query(AuditQuery q) {
        check(q);
        flush();
        AuditStore.Page page = store.query(filter(q), q.limit(), q.offset(), q.ascending());
        return new Page(page.rows().stream().map(AuditLog::entry).toList(), page.total());
    }

    public Optional<AuditEntry> get(long id) {
        flush();
        return store.get(id).map(AuditLog::entry);
    }

    /** The ten newest other entries about the same target, and by the same actor. */
    public Related related(AuditEntry e) {
        var sameTarget = new AuditStore.Filter(List.of(), null, e.targetType(), e.targetName(), null, null, null);
        var sameActor = new AuditStore.Filter(List.of(), e.actor(), null, null, null, null, null);
        return new Related(store.newestExcept(sameTarget, e.id(), 10).stream().map(AuditLog::entry).toList(),
                store.newestExcept(sameActor, e.id(), 10).stream().map(AuditLog::entry).toList());
    }

    public Stats stats() {
        flush();
        AuditStore.Stats s = store.stats(10);
        return new Stats(s.total(), s.byAction(), s.byStatus().getOrDefault("success", 0L),
                s.byStatus().getOrDefault("failure", 0L), s.byActor(),
                s.recent().stream().map(AuditLog::entry).toList(),
                s.oldest() == null ? null : Instant.ofEpochMilli(s.oldest()),
                s.newest() == null ? null : Instant.ofEpochMilli(s.newest()));
    }

    /** Every entry matching the query's filters (its page ignored), oldest first unless not ascending. */
    public void export(AuditQuery q, Consumer<AuditEntry> each) {
        check(q);
        flush();
        store.forEach(filter(q), q.ascending(), row -> each.accept(entry(row)));
    }

    /** Deletes (or with dryRun counts) the entries older than {@code before}. */
    public Purge purge(Instant before, boolean dryRun) {
        flush();
        long millis = before.toEpochMilli();
        if (dryRun) {
            return new Purge(store.count(new AuditStore.Filter(List.of(), null, null, null, null, null, millis - 1)), true);
        }
        long deleted = store.deleteBefore(millis);
        log.info("event=audit_purged before={} deleted={}", before, deleted);
        return new Purge(deleted, false);
    }

    /** Deletes the entries past the retention; answers how many. */
    public long prune() {
        long deleted = store.deleteBefore(clock.instant().minus(retention.get()).toEpochMilli());
        if (deleted > 0) {
            log.info("event=audit_pruned deleted={} retention_days={}", deleted, retention.get().toDays());
        }
        return deleted;
    }

    /**
     * Stores one event at once, without a running log (the CLI, a process of its own: its entries
     * reach the daemon's readers, not its live streams).
     */
    public static void recordNow(AuditStore store, AuditEvent event) {
        store.insert(List.of(row(event)));
    }

    /** A live view of new entries; close it when the client goes. */
    public Subscription subscribe() {
        Subscription s = new Subscription();
        subscribers.add(s);
        return s;
    }

    /** New entries for one live client, in the order they were stored. */
    public final class Subscription implements AutoCloseable {
        private final BlockingQueue<AuditEntry> entries = new ArrayBlockingQueue<>(FEED_CAPACITY);
        private volatile boolean dropped;

        private void offer(AuditEntry e) {
            if (!entries.offer(e)) {
                dropped = true; // too slow: it is told so and closed, never allowed to hold the writer
                subscribers.remove(this);
            }
        }

        /** The next entry, or empty when none came within the wait. */
        public Optional<AuditEntry> next(Duration wait) throws InterruptedException {
            return Optional.ofNullable(entries.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
        }

        /** True once the client fell {@link #FEED_CAPACITY} entries behind and was dropped. */
        public boolean dropped() {
            return dropped && entries.isEmpty();
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }

    /** Waits (at most {@link #FLUSH_WAIT}) until every event recorded so far is stored or dropped. */
    void flush() {
        long deadline = System.nanoTime() + FLUSH_WAIT.toNanos();
        synchronized (progress) {
            long target = enqueued;
            while (written < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void advance(int n) {
        synchronized (progress) {
            written += n;
            progress.notifyAll();
        }
    }

    private void writeLoop() {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                queue.drainTo(batch); // closing: store what is left
                if (!batch.isEmpty()) {
                    write(batch);
                }
                return;
            }
            queue.drainTo(batch, BATCH - 1);
            write(batch);
            batch.clear();
        }
    }

    private void write(List<AuditEvent> batch) {
        try {
            List<Row> stored = store.insert(batch.stream().map(AuditLog::row).toList());
            for (Row r : stored) {
                AuditEntry e = entry(r);
                subscribers.forEach(s -> s.offer(e));
            }
        } catch (RuntimeException e) {
            // the request that did the action has its answer; losing its entry is logged, never thrown
            log.error("event=audit_write_failed count={} error=\"{}\"", batch.size(), e.getMessage());
        } finally {
            advance(batch.size());
        }
    }

    private static Row row(AuditEvent e) {
        String details;
        try {
            details = e.details().isEmpty() ? null : Json.MAPPER.writeValueAsString(e.details());
        } catch (JsonProcessingException ex) {
            details = "{\"note\":\"details could not be serialised\"}";
        }
        if (details != null && details.length() > MAX_DETAILS_CHARS) {
            details = "{\"note\":\"details too large (" + details.length() + " characters), left out\"}";
        }
        return new Row(0, e.at().toEpochMilli(), e.action(), e.actor(), e.targetType(),
                e.targetName() == null ? "" : e.targetName(), details, e.success() ? "success" : "failure",
                e.errorMessage());
    }

    private static AuditEntry entry(Row r) {
        Map<String, Object> details = null;
        if (r.details() != null) {
            try {
                details = Json.MAPPER.readValue(r.details(), MAP);
            } catch (JsonProcessingException e) {
                details = Map.of("note", "details unreadable");
            }
        }
        return new AuditEntry(r.id(), Instant.ofEpochMilli(r.ts()), r.action(), r.actor(), r.targetType(),
                r.targetName(), details, r.status(), r.errorMessage());
    }

    private static void check(AuditQuery q) {
        if (q.limit() < 1 || q.limit() > MAX_LIMIT) {
            throw ServiceException.badRequest("Invalid limit: expected 1 to " + MAX_LIMIT);
        }
        if (q.offset() < 0) {
            throw ServiceException.badRequest("Invalid offset: expected 0 or more");
        }
        if (q.status() != null && !STATUSES.contains(q.status())) {
            throw ServiceException.badRequest("Invalid status: expected success or failure");
        }
        if (q.actions() != null && q.actions().size() > AuditStore.MAX_ACTIONS) {
            throw ServiceException.badRequest("Invalid action: at most " + AuditStore.MAX_ACTIONS + " actions");
        }
        if (q.from() != null && q.to() != null && q.from().isAfter(q.to())) {
            throw ServiceException.badRequest("Invalid range: from is after to");
        }
    }

    private static AuditStore.Filter filter(AuditQuery q) {
        return new AuditStore.Filter(q.actions(), q.actor(), q.targetType(), q.targetName(), q.status(),
                q.from() == null ? null : q.from().toEpochMilli(), q.to() == null ? null : q.to().toEpochMilli());
    }

    private void pruneQuietly() {
        try {
            prune();
        } catch (RuntimeException e) {
            log.error("event=audit_prune_failed error=\"{}\"", e.getMessage());
        }
    }

    /** Stores what is queued, then stops the writer and the pruner. */
    @Override
    public void close() {
        pruner.shutdownNow();
        flush();
        writer.interrupt();
        try {
            writer.join(FLUSH_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
