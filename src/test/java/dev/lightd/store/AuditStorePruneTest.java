package dev.lightd.store;

import dev.lightd.store.AuditStore.Filter;
import dev.lightd.store.AuditStore.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Deleting audit entries by age against a real SQLite file, with more rows than SQLite allows
 * variables in one statement (32766): the deletion that broke Wings (CVE-2026-21696, one
 * {@code DELETE ... IN (?, ?, ...)} with a variable per row) must go through here in batches.
 */
class AuditStorePruneTest {

    static final long DAY = 24L * 3600 * 1000;
    static final long NOW = 1_780_000_000_000L;

    @TempDir
    Path dir;
    Database db;
    AuditStore store;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("lightd.db"));
        store = new AuditStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** count rows, one a millisecond from start on, in transactions of 5000. */
    private void insert(int count, long start, String action) {
        List<Row> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(new Row(0, start + i, action, "key:test", "server", "s" + (i % 7), "{\"i\":" + i + "}",
                    i % 3 == 0 ? "failure" : "success", i % 3 == 0 ? "boom" : null));
            if (batch.size() == 5000) {
                store.insert(batch);
                batch.clear();
            }
        }
        store.insert(batch);
    }

    @Test
    void pruningPast40000RowsDeletesEveryOldRowInBatchesAndKeepsTheRecentOnes() {
        insert(45_000, NOW - 200 * DAY, "server.start");
        insert(1_000, NOW - DAY, "server.stop");
        assertThat(store.count(Filter.ALL)).isEqualTo(46_000);

        long deleted = store.deleteBefore(NOW - 90 * DAY);

        assertThat(deleted).isEqualTo(45_000);
        assertThat(store.count(Filter.ALL)).isEqualTo(1_000);
        assertThat(store.count(new Filter(List.of("server.start"), null, null, null, null, null, null))).isZero();
        AuditStore.Stats stats = store.stats(10);
        assertThat(stats.oldest()).isGreaterThanOrEqualTo(NOW - DAY);
        assertThat(stats.byAction()).containsOnlyKeys("server.stop");
        // nothing left to delete: a second prune is a no-op
        assertThat(store.deleteBefore(NOW - 90 * DAY)).isZero();
    }

    @Test
    void purgingEverythingPast40000RowsLeavesAnEmptyLogAndIdsAreNotReused() {
        insert(41_000, NOW - 10 * DAY, "server.create");
        long lastId = store.query(Filter.ALL, 1, 0, false).rows().getFirst().id();

        assertThat(store.deleteBefore(NOW)).isEqualTo(41_000);
        assertThat(store.count(Filter.ALL)).isZero();

        Row next = store.insert(List.of(new Row(0, NOW, "server.delete", "master", "server", "x", null, "success", null)))
                .getFirst();
        assertThat(next.id()).isGreaterThan(lastId);
    }

    @Test
    void filtersPagesOrderAndExportSeeTheSameRows() {
        insert(2_000, NOW - 5 * DAY, "server.start");
        insert(10, NOW, "world.create");

        var worlds = store.query(new Filter(List.of("world.create"), null, null, null, null, null, null), 50, 0, false);
        assertThat(worlds.total()).isEqualTo(10);
        assertThat(worlds.rows()).extracting(Row::ts).isSortedAccordingTo(Collections.reverseOrder());

        var failures = store.query(new Filter(List.of(), "key:test", "server", "s0", "failure", NOW - 5 * DAY,
                NOW - 5 * DAY + 999), 500, 0, true);
        assertThat(failures.rows()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo("failure");
            assertThat(r.targetName()).isEqualTo("s0");
        });
        assertThat(failures.rows()).extracting(Row::ts).isSorted();
        // i in 0..999 with i % 7 == 0 and i % 3 == 0: multiples of 21
        assertThat(failures.total()).isEqualTo(48);

        List<Long> exported = new ArrayList<>();
        store.forEach(Filter.ALL, true, r -> exported.add(r.id()));
        assertThat(exported).hasSize(2_010).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aFilterNamingMoreActionsThanTheBoundIsRefusedBeforeAnyQuery() {
        List<String> actions = new ArrayList<>();
        for (int i = 0; i <= AuditStore.MAX_ACTIONS; i++) {
            actions.add("a" + i);
        }
        assertThatThrownBy(() -> new Filter(actions, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
