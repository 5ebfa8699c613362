package dev.lightd.audit;

import dev.lightd.store.AuditStore;
import dev.lightd.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit log service against a real SQLite file: queued writes, read-your-writes, live feed, retention. */
class AuditLogTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;
    Database db;
    AuditLog audit;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("lightd.db"));
        audit = new AuditLog(new AuditStore(db), Clock.fixed(NOW, ZoneOffset.UTC), () -> Duration.ofDays(90),
                Duration.ofHours(1));
    }

    @AfterEach
    void close() {
        audit.close();
        db.close();
    }

    private static AuditEvent event(Instant at, String action, String target, boolean ok) {
        return new AuditEvent(at, action, "key:test", "server", target, Map.of("n", 1), ok, ok ? null : "failed");
    }

    @Test
    void everythingRecordedBeforeARead_isSeenByThatRead() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 700; i++) {
                    audit.record(event(NOW, "server.start", "s" + i, i % 2 == 0));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        AuditLog.Page page = audit.query(AuditQuery.ALL);
        assertThat(page.total()).isEqualTo(2100);
        AuditLog.Stats stats = audit.stats();
        assertThat(stats.success()).isEqualTo(1050);
        assertThat(stats.failure()).isEqualTo(1050);
        assertThat(stats.byAction()).containsEntry("server.start", 2100L);
    }

    @Test
    void aSubscriberGetsEachNewEntryWithItsIdInOrder() throws InterruptedException {
        try (AuditLog.Subscription sub = audit.subscribe()) {
            for (int i = 0; i < 5; i++) {
                audit.record(event(NOW, "server.stop", "s" + i, true));
            }
            List<AuditEntry> got = new ArrayList<>();
            while (got.size() < 5) {
                Optional<AuditEntry> e = sub.next(Duration.ofSeconds(10));
                assertThat(e).as("entry %d arrives", got.size()).isPresent();
                got.add(e.get());
            }
            assertThat(got).extracting(AuditEntry::targetName).containsExactly("s0", "s1", "s2", "s3", "s4");
            assertThat(got).extracting(AuditEntry::id).isSorted().doesNotHaveDuplicates();
            assertThat(audit.get(got.getFirst().id())).get().extracting(AuditEntry::details)
                    .isEqualTo(Map.of("n", 1));
        }
    }

    @Test
    void entriesPastTheRetentionArePrunedAndPurgeCountsOrDeletesOlderOnes() {
        audit.record(event(NOW.minus(Duration.ofDays(120)), "server.create", "old", true));
        audit.record(event(NOW.minus(Duration.ofDays(30)), "server.create", "month", true));
        audit.record(event(NOW, "server.create", "new", true));
        audit.query(AuditQuery.ALL); // stored

        audit.prune();

        assertThat(audit.query(AuditQuery.ALL).entries()).extracting(AuditEntry::targetName)
                .containsExactly("new", "month");
        AuditLog.Purge dry = audit.purge(NOW.minus(Duration.ofDays(1)), true);
        assertThat(dry).isEqualTo(new AuditLog.Purge(1, true));
        assertThat(audit.query(AuditQuery.ALL).total()).isEqualTo(2);
        assertThat(audit.purge(NOW.minus(Duration.ofDays(1)), false)).isEqualTo(new AuditLog.Purge(1, false));
        assertThat(audit.query(AuditQuery.ALL).entries()).extracting(AuditEntry::targetName).containsExactly("new");
    }

    @Test
    void detailsTooLargeAreReplacedByANoteNotStoredWhole() {
        audit.record(new AuditEvent(NOW, "server.exec", "master", "server", "s", Map.of("x", "y".repeat(10_000)),
                true, null));
        AuditEntry e = audit.query(AuditQuery.ALL).entries().getFirst();
        assertThat(e.details()).containsOnlyKeys("note");
    }
}
