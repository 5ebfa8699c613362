package dev.lightd.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

public final class PortStore {

    public record PortRow(String ip, int port, String protocol, boolean inUse) {}

    private static final String COLUMNS = "SELECT ip, port, protocol, in_use FROM ports";

    private final Database db;
    private final CachedRead<List<PortRow>> all;

    public PortStore(Database db) {
        this.db = db;
        this.all = new CachedRead<>(db, c -> {
            try (var st = c.prepareStatement(COLUMNS + " ORDER BY ip, port")) {
                return List.copyOf(rows(st.executeQuery()));
            }
        });
    }

    /** @return false when a port with this address and number is already in the pool */
    public boolean insert(PortRow row) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement(
                    "INSERT INTO ports (ip, port, protocol, in_use) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                st.setString(1, row.ip());
                st.setInt(2, row.port());
                st.setString(3, row.protocol());
                st.setInt(4, row.inUse() ? 1 : 0);
                return st.executeUpdate() == 1;
            }
        });
    }

    public Optional<PortRow> find(String ip, int port) {
        return db.read(c -> find(c, ip, port));
    }

    /** Every port of the pool, from memory until the next write (GET /network/ports). */
    public List<PortRow> all() {
        return all.get();
    }

    public List<PortRow> free() {
        return db.read(c -> {
            try (var st = c.prepareStatement(COLUMNS + " WHERE in_use = 0 ORDER BY ip, port")) {
                return rows(st.executeQuery());
            }
        });
    }

    public boolean setInUse(String ip, int port, boolean inUse) {
        return db.transaction(c -> setInUse(c, ip, port, inUse));
    }

    public boolean delete(String ip, int port) {
        return db.transaction(c -> deleteOne(c, ip, port));
    }

    /**
     * Deletes all in one transaction; counts only the ports that existed. The caller's own entries
     * are read through {@code ip} and {@code port}, so the store needs no type of its callers.
     */
    public <K> int deleteAll(List<K> keys, Function<K, String> ip, ToIntFunction<K> port) {
        return db.transaction(c -> {
            int deleted = 0;
            for (K key : keys) {
                if (deleteOne(c, ip.apply(key), port.applyAsInt(key))) {
                    deleted++;
                }
            }
            return deleted;
        });
    }

    public static Optional<PortRow> find(Connection c, String ip, int port) throws SQLException {
        try (var st = c.prepareStatement(COLUMNS + " WHERE ip = ? AND port = ?")) {
            st.setString(1, ip);
            st.setInt(2, port);
            List<PortRow> rows = rows(st.executeQuery());
            return rows.stream().findFirst();
        }
    }

    public static boolean setInUse(Connection c, String ip, int port, boolean inUse) throws SQLException {
        try (var st = c.prepareStatement("UPDATE ports SET in_use = ? WHERE ip = ? AND port = ?")) {
            st.setInt(1, inUse ? 1 : 0);
            st.setString(2, ip);
            st.setInt(3, port);
            return st.executeUpdate() == 1;
        }
    }

    private static boolean deleteOne(Connection c, String ip, int port) throws SQLException {
        try (var st = c.prepareStatement("DELETE FROM ports WHERE ip = ? AND port = ?")) {
            st.setString(1, ip);
            st.setInt(2, port);
            return st.executeUpdate() == 1;
        }
    }

    private static List<PortRow> rows(ResultSet rs) throws SQLException {
        List<PortRow> out = new ArrayList<>();
        while (rs.next()) {
            out.add(new PortRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getInt(4) == 1));
        }
        return out;
    }
}
