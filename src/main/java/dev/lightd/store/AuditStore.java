package dev.lightd.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The audit log table. Every query binds a fixed, small number of variables (at most
 * {@link #MAX_ACTIONS} for an action filter), and deletions go by timestamp in batches of rowids
 * chosen by a sub-select, never as one {@code DELETE ... IN (?, ?, ...)} with a variable per row: a
 * statement with more variables than SQLite allows fails, and a purge that fails that way never
 * deletes anything (Wings CVE-2026-21696).
 */
public final class AuditStore {

    /** One entry; ts in epoch milliseconds, details a JSON object as text (or null). */
    public record Row(long id, long ts, String action, String actor, String targetType, String targetName,
                      String details, String status, String errorMessage) {}

    /** What a filter may hold; null (or an empty action list) means "any". from and to are inclusive. */
    public record Filter(List<String> actions, String actor, String targetType, String targetName, String status,
                         Long from, Long to) {
        public static final Filter ALL = new Filter(List.of(), null, null, null, null, null, null);

        public Filter {
            actions = actions == null ? List.of() : List.copyOf(actions);
            if (actions.size() > MAX_ACTIONS) {
                throw new IllegalArgumentException("at most " + MAX_ACTIONS + " actions in one filter");
            }
        }
    }

    public record Page(List<Row> rows, long total) {}

    public record Stats(long total, Map<String, Long> byAction, Map<String, Long> byStatus, Map<String, Long> byActor,
                        List<Row> recent, Long oldest, Long newest) {}

    /** How many actions one filter may name: a bound on the variables a query uses. */
    public static final int MAX_ACTIONS = 50;
    /** Rows deleted per statement (and per transaction) when pruning or purging. */
    public static final int DELETE_BATCH = 500;
    /** How many actors stats report (the busiest). */
    static final int STATS_ACTORS = 50;

    private static final String COLUMNS =
            "id, ts, action, actor, target_type, target_name, details, status, error_message";

    private final Database db;

    public AuditStore(Database db) {
        this.db = db;
    }

    /** Inserts the rows (their id is ignored) in one transaction; answers them with their ids. */
    public List<Row> insert(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        return db.transaction(c -> {
            List<Row> out = new ArrayList<>(rows.size());
            try (var st = c.prepareStatement("INSERT INTO audit_log (ts, action, actor, target_type, target_name,"
                    + " details, status, error_message) VALUES (?,?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                for (Row r : rows) {
                    st.setLong(1, r.ts());
                    st.setString(2, r.action());
                    st.setString(3, r.actor());
                    st.setString(4, r.targetType());
                    st.setString(5, r.targetName());
                    st.setString(6, r.details());
                    st.setString(7, r.status());
                    st.setString(8, r.errorMessage());
                    st.executeUpdate();
                    try (ResultSet keys = st.getGeneratedKeys()) {
                        keys.next();
                        out.add(new Row(keys.getLong(1), r.ts(), r.action(), r.actor(), r.targetType(),
                                r.targetName(), r.details(), r.status(), r.errorMessage()));
                    }
                }
            }
            return out;
        });
    }

    /** One page, newest first unless ascending, and how many rows match in all. */
    public Page query(Filter filter, int limit, long offset, boolean ascending) {
        Where where = where(filter);
        String order = ascending ? " ORDER BY ts ASC, id ASC" : " ORDER BY ts DESC, id DESC";
        return db.transaction(c -> {
            List<Row> rows = new ArrayList<>();
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log" + where.sql + order
                    + " LIMIT ? OFFSET ?")) {
                int i = where.bind(st);
                st.setInt(i++, limit);
                st.setLong(i, offset);
                ResultSet rs = st.executeQuery();
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return new Page(rows, count(c, where));
        });
    }

    public long count(Filter filter) {
        Where where = where(filter);
        return db.transaction(c -> count(c, where));
    }

    public Optional<Row> get(long id) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE id = ?")) {
                st.setLong(1, id);
                ResultSet rs = st.executeQuery();
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        });
    }

    /** The newest rows matching the filter other than the given one (for an entry's related entries). */
    public List<Row> newestExcept(Filter filter, long exceptId, int limit) {
        Where where = where(filter);
        return db.transaction(c -> {
            List<Row> rows = new ArrayList<>();
            String sql = "SELECT " + COLUMNS + " FROM audit_log" + where.sql
                    + (where.sql.isEmpty() ? " WHERE" : " AND") + " id <> ? ORDER BY ts DESC, id DESC LIMIT ?";
            try (var st = c.prepareStatement(sql)) {
                int i = where.bind(st);
                st.setLong(i++, exceptId);
                st.setInt(i, limit);
                ResultSet rs = st.executeQuery();
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        });
    }

    /**
     * Every matching row in id order, read in chunks of {@link #DELETE_BATCH} so the store's lock is
     * not held while the consumer writes to a slow client.
     */
    public void forEach(Filter filter, boolean ascending, Consumer<Row> each) {
        Where where = where(filter);
        long last = ascending ? 0 : Long.MAX_VALUE;
        String sql = "SELECT " + COLUMNS + " FROM audit_log" + where.sql + (where.sql.isEmpty() ? " WHERE" : " AND")
                + (ascending ? " id > ? ORDER BY id ASC" : " id < ? ORDER BY id DESC") + " LIMIT " + DELETE_BATCH;
        while (true) {
            long after = last;
            List<Row> chunk = db.transaction(c -> {
                List<Row> rows = new ArrayList<>();
                try (var st = c.prepareStatement(sql)) {
                    int i = where.bind(st);
                    st.setLong(i, after);
                    ResultSet rs = st.executeQuery();
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
                return rows;
            });
            chunk.forEach(each);
            if (chunk.size() < DELETE_BATCH) {
                return;
            }
            last = chunk.getLast().id();
        }
    }

    public Stats stats(int recent) {
        return db.transaction(c -> {
            long total = count(c, where(Filter.ALL));
            Map<String, Long> byAction = grouped(c, "SELECT action, count(*) FROM audit_log GROUP BY action ORDER BY action");
            Map<String, Long> byStatus = grouped(c, "SELECT status, count(*) FROM audit_log GROUP BY status");
            Map<String, Long> byActor = grouped(c, "SELECT actor, count(*) FROM audit_log GROUP BY actor"
                    + " ORDER BY count(*) DESC, actor LIMIT " + STATS_ACTORS);
            List<Row> rows = new ArrayList<>();
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY ts DESC, id DESC LIMIT ?")) {
                st.setInt(1, recent);
                ResultSet rs = st.executeQuery();
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            Long oldest = null;
            Long newest = null;
            try (var st = c.prepareStatement("SELECT min(ts), max(ts) FROM audit_log")) {
                ResultSet rs = st.executeQuery();
                if (rs.next() && rs.getObject(1) != null) {
                    oldest = rs.getLong(1);
                    newest = rs.getLong(2);
                }
            }
            return new Stats(total, byAction, byStatus, byActor, rows, oldest, newest);
        });
    }

    /**
     * Deletes every row older than {@code beforeMillis} (strictly), {@link #DELETE_BATCH} rows per
     * statement and transaction, so other writers get the store between batches. Answers how many.
     */
    public long deleteBefore(long beforeMillis) {
        long deleted = 0;
        while (true) {
            int n = db.transaction(c -> {
                try (var st = c.prepareStatement("DELETE FROM audit_log WHERE id IN"
                        + " (SELECT id FROM audit_log WHERE ts < ? ORDER BY id LIMIT ?)")) {
                    st.setLong(1, beforeMillis);
                    st.setInt(2, DELETE_BATCH);
                    return st.executeUpdate();
                }
            });
            deleted += n;
            if (n < DELETE_BATCH) {
                return deleted;
            }
        }
    }

    private static long count(Connection c, Where where) throws SQLException {
        try (var st = c.prepareStatement("SELECT count(*) FROM audit_log" + where.sql)) {
            where.bind(st);
            ResultSet rs = st.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Long> grouped(Connection c, String sql) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (var st = c.prepareStatement(sql)) {
            ResultSet rs = st.executeQuery();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
    }

    /** A WHERE clause (or "") and the values its placeholders take, in order. */
    private record Where(String sql, List<Object> values) {
        int bind(PreparedStatement st) throws SQLException {
            int i = 1;
            for (Object v : values) {
                if (v instanceof Long l) {
                    st.setLong(i++, l);
                } else {
                    st.setString(i++, (String) v);
                }
            }
            return i;
        }
    }

    private static Where where(Filter f) {
        List<String> parts = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (!f.actions().isEmpty()) {
            parts.add("action IN (" + String.join(",", Collections.nCopies(f.actions().size(), "?")) + ")");
            values.addAll(f.actions());
        }
        add(parts, values, "actor = ?", f.actor());
        add(parts, values, "target_type = ?", f.targetType());
        add(parts, values, "target_name = ?", f.targetName());
        add(parts, values, "status = ?", f.status());
        add(parts, values, "ts >= ?", f.from());
        add(parts, values, "ts <= ?", f.to());
        return new Where(parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts), values);
    }

    private static void add(List<String> parts, List<Object> values, String sql, Object value) {
        if (value != null) {
            parts.add(sql);
            values.add(value);
        }
    }
}
