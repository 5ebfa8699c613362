package dev.lightd.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

public final class VolumeStore {

    public record VolumeRow(String id, String path, long createdAt) {}

    private final Database db;

    public VolumeStore(Database db) {
        this.db = db;
    }

    public void insert(VolumeRow row) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO volumes (id, path, created_at) VALUES (?, ?, ?)")) {
                st.setString(1, row.id());
                st.setString(2, row.path());
                st.setLong(3, row.createdAt());
                return st.executeUpdate();
            }
        });
    }

    /** Volumes whose id starts with the prefix; the caller decides what an ambiguous answer means. */
    public List<VolumeRow> findByPrefix(String prefix, int limit) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement(
                    "SELECT id, path, created_at FROM volumes WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT ?")) {
                st.setInt(1, prefix.length());
                st.setString(2, prefix);
                st.setInt(3, limit);
                return rows(st.executeQuery());
            }
        });
    }

    public List<VolumeRow> all() {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("SELECT id, path, created_at FROM volumes ORDER BY created_at, id")) {
                return rows(st.executeQuery());
            }
        });
    }

    public boolean delete(String id) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("DELETE FROM volumes WHERE id = ?")) {
                st.setString(1, id);
                return st.executeUpdate() == 1;
            }
        });
    }

    private static List<VolumeRow> rows(ResultSet rs) throws SQLException {
        List<VolumeRow> out = new ArrayList<>();
        while (rs.next()) {
            out.add(new VolumeRow(rs.getString(1), rs.getString(2), rs.getLong(3)));
        }
        return out;
    }
}
