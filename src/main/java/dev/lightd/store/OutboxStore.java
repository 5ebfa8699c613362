package dev.lightd.store;

import java.util.ArrayList;
import java.util.List;
import java.sql.Statement;

/** Messages for the panel, kept until delivered so a panel outage or a restart loses none. */
public final class OutboxStore {

    public record OutboxRow(long seq, String payload, int attempts) {}

    private final Database db;

    public OutboxStore(Database db) {
        this.db = db;
    }

    public long append(String payload, long now) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO outbox (payload, created_at) VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                st.setString(1, payload);
                st.setLong(2, now);
                st.executeUpdate();
                var keys = st.getGeneratedKeys();
                keys.next();
                return keys.getLong(1);
            }
        });
    }

    /** The oldest undelivered messages, in the order they were written. */
    public List<OutboxRow> head(int limit) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("SELECT seq, payload, attempts FROM outbox ORDER BY seq LIMIT ?")) {
                st.setInt(1, limit);
                var rs = st.executeQuery();
                List<OutboxRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new OutboxRow(rs.getLong(1), rs.getString(2), rs.getInt(3)));
                }
                return out;
            }
        });
    }

    public void delivered(long seq) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("DELETE FROM outbox WHERE seq = ?")) {
                st.setLong(1, seq);
                return st.executeUpdate();
            }
        });
    }

    public void failedAttempt(long seq) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?")) {
                st.setLong(1, seq);
                return st.executeUpdate();
            }
        });
    }
}
