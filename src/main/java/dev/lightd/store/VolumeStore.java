package dev.lightd.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

public final class VolumeStore {

    /** diskLimit: the volume's size limit in bytes, 0 for none. */
    public record VolumeRow(String id, String path, long createdAt, long diskLimit) {

        public VolumeRow(String id, String path, long createdAt) {
            this(id, path, createdAt, 0);
        }
    }

    private static final String COLUMNS = "id, path, created_at, disk_limit";

    private final Database db;
    private final CachedRead<List<VolumeRow>> all;

    public VolumeStore(Database db) {
        this.db = db;
        this.all = new CachedRead<>(db, c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM volumes ORDER BY created_at, id")) {
                return List.copyOf(rows(st.executeQuery()));
            }
        });
    }

    public void insert(VolumeRow row) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO volumes (" + COLUMNS + ") VALUES (?, ?, ?, ?)")) {
                st.setString(1, row.id());
                st.setString(2, row.path());
                st.setLong(3, row.createdAt());
                st.setLong(4, row.diskLimit());
                return st.executeUpdate();
            }
        });
    }

    public boolean setDiskLimit(String id, long bytes) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("UPDATE volumes SET disk_limit = ? WHERE id = ?")) {
                st.setLong(1, bytes);
                st.setString(2, id);
                return st.executeUpdate() == 1;
            }
        });
    }

    /**
     * Volumes whose id starts with the prefix (from the list kept in memory: every volume route
     * looks its volume up); the caller decides what an ambiguous answer means.
     */
    public List<VolumeRow> findByPrefix(String prefix, int limit) {
        return all().stream().filter(v -> v.id().startsWith(prefix)).limit(limit).toList();
    }

    /** Every volume, from memory until the next write (GET /volumes). */
    public List<VolumeRow> all() {
        return all.get();
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
            out.add(new VolumeRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
        }
        return out;
    }
}
