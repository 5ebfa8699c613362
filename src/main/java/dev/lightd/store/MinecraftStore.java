package dev.lightd.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.sql.Connection;

/** Minecraft servers and worlds of the mcctl face, with the world locks. */
public final class MinecraftStore {

    /** wantsRunning: should be running (start sets it; stop, a clean exit and a crash loop clear it). */
    public record ServerRow(String name, String containerId, String type, String version, String memory, String seed,
                            String world, int rconPort, String rconPassword, long createdAt, boolean wantsRunning,
                            boolean crashOnCleanExit) {
        public ServerRow withContainerId(String id) {
            return new ServerRow(name, id, type, version, memory, seed, world, rconPort, rconPassword, createdAt,
                    wantsRunning, crashOnCleanExit);
        }

        public ServerRow withWorld(String w) {
            return new ServerRow(name, containerId, type, version, memory, seed, w, rconPort, rconPassword, createdAt,
                    wantsRunning, crashOnCleanExit);
        }
    }

    public record WorldRow(String name, String seed, String lockedBy, long createdAt) {}

    private final Database db;

    public MinecraftStore(Database db) {
        this.db = db;
    }

    public boolean insertServer(ServerRow r) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO mc_servers (name, container_id, type, version, memory, seed,"
                    + " world, rcon_port, rcon_password, created_at, wants_running, crash_on_clean_exit)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")) {
                st.setString(1, r.name());
                st.setString(2, r.containerId());
                st.setString(3, r.type());
                st.setString(4, r.version());
                st.setString(5, r.memory());
                st.setString(6, r.seed());
                st.setString(7, r.world());
                st.setInt(8, r.rconPort());
                st.setString(9, r.rconPassword());
                st.setLong(10, r.createdAt());
                st.setInt(11, r.wantsRunning() ? 1 : 0);
                st.setInt(12, r.crashOnCleanExit() ? 1 : 0);
                return st.executeUpdate() == 1;
            }
        });
    }

    public void updateServer(ServerRow r) {
        db.transaction(c -> {
            try (var st = c.prepareStatement(
                    "UPDATE mc_servers SET container_id = ?, world = ?, rcon_port = ? WHERE name = ?")) {
                st.setString(1, r.containerId());
                st.setString(2, r.world());
                st.setInt(3, r.rconPort());
                st.setString(4, r.name());
                return st.executeUpdate();
            }
        });
    }

    public void deleteServer(String name, String container) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("UPDATE worlds SET locked_by = NULL WHERE locked_by = ?")) {
                st.setString(1, container);
                st.executeUpdate();
            }
            try (var st = c.prepareStatement("DELETE FROM mc_servers WHERE name = ?")) {
                st.setString(1, name);
                return st.executeUpdate();
            }
        });
    }

    /** Records whether the server should be running, on its own. */
    public void setWantsRunning(String name, boolean wantsRunning) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("UPDATE mc_servers SET wants_running = ? WHERE name = ?")) {
                st.setInt(1, wantsRunning ? 1 : 0);
                st.setString(2, name);
                return st.executeUpdate();
            }
        });
    }

    /** The settings a server's owner changed, as a JSON object ("{}" when none or no such server). */
    public String settings(String name) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("SELECT settings FROM mc_servers WHERE name = ?")) {
                st.setString(1, name);
                ResultSet rs = st.executeQuery();
                return rs.next() ? rs.getString(1) : "{}";
            }
        });
    }

    public void setSettings(String name, String json) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("UPDATE mc_servers SET settings = ? WHERE name = ?")) {
                st.setString(1, json);
                st.setString(2, name);
                return st.executeUpdate();
            }
        });
    }

    public List<ServerRow> servers() {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("SELECT name, container_id, type, version, memory, seed, world, rcon_port,"
                    + " rcon_password, created_at, wants_running, crash_on_clean_exit FROM mc_servers ORDER BY name")) {
                ResultSet rs = st.executeQuery();
                List<ServerRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new ServerRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9),
                            rs.getLong(10), rs.getInt(11) == 1, rs.getInt(12) == 1));
                }
                return out;
            }
        });
    }

    public boolean insertWorld(WorldRow w) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement(
                    "INSERT INTO worlds (name, seed, locked_by, created_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING")) {
                st.setString(1, w.name());
                st.setString(2, w.seed());
                st.setString(3, w.lockedBy());
                st.setLong(4, w.createdAt());
                return st.executeUpdate() == 1;
            }
        });
    }

    public Optional<WorldRow> world(String name) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("SELECT name, seed, locked_by, created_at FROM worlds WHERE name = ?")) {
                st.setString(1, name);
                return worlds(st.executeQuery()).stream().findFirst();
            }
        });
    }

    public List<WorldRow> worlds() {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("SELECT name, seed, locked_by, created_at FROM worlds ORDER BY name")) {
                return worlds(st.executeQuery());
            }
        });
    }

    /**
     * Locks a world for a server: succeeds when it is free or already that server's. The server's
     * previous world is released in the same transaction, unless it is {@code inUse} (the world a
     * running server still has mounted keeps its lock until the server stops or restarts onto the
     * new one). Answers who holds it otherwise, or that the world is gone (deleted since the
     * caller looked: then nothing changes).
     */
    public LockAttempt lock(String world, String container, String serverName, String inUse) {
        return db.transaction(c -> {
            Optional<String> holder = otherHolder(c, world, container);
            if (holder.isPresent()) {
                return new LockAttempt(holder, true);
            }
            if (setLock(c, world, container, false) == 0) {
                return new LockAttempt(Optional.empty(), false);
            }
            releaseOthers(c, container, world, inUse);
            try (var st = c.prepareStatement("UPDATE mc_servers SET world = ? WHERE name = ?")) {
                st.setString(1, world);
                st.setString(2, serverName);
                st.executeUpdate();
            }
            return new LockAttempt(Optional.empty(), true);
        });
    }

    /** What {@link #lock} found: the other server holding the world, or whether the world exists at all. */
    public record LockAttempt(Optional<String> heldBy, boolean worldExists) {
        public boolean locked() {
            return worldExists && heldBy.isEmpty();
        }
    }

    /**
     * Before a server starts on its world: the world exists (a forced delete may have removed it:
     * it comes back empty), is locked by this server, and no other world stays locked by it.
     * Answers the other server holding it, when one does (then nothing changes).
     */
    public Optional<String> claimOnly(String world, String seed, String container, long now) {
        return db.transaction(c -> {
            Optional<String> holder = otherHolder(c, world, container);
            if (holder.isPresent()) {
                return holder;
            }
            try (var st = c.prepareStatement(
                    "INSERT INTO worlds (name, seed, locked_by, created_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING")) {
                st.setString(1, world);
                st.setString(2, seed);
                st.setString(3, container);
                st.setLong(4, now);
                st.executeUpdate();
            }
            setLock(c, world, container, true);
            releaseOthers(c, container, world, null);
            return Optional.<String>empty();
        });
    }

    /** Who holds the world's lock, when it is someone other than this container. */
    private static Optional<String> otherHolder(Connection c, String world, String container)
            throws SQLException {
        return world(c, world).map(WorldRow::lockedBy).filter(h -> !h.equals(container));
    }

    private static int setLock(Connection c, String world, String container, boolean onlyIfFree)
            throws SQLException {
        String sql = "UPDATE worlds SET locked_by = ? WHERE name = ?" + (onlyIfFree ? " AND locked_by IS NULL" : "");
        try (var st = c.prepareStatement(sql)) {
            st.setString(1, container);
            st.setString(2, world);
            return st.executeUpdate();
        }
    }

    private static void releaseOthers(Connection c, String container, String keep, String alsoKeep)
            throws SQLException {
        try (var st = c.prepareStatement(
                "UPDATE worlds SET locked_by = NULL WHERE locked_by = ? AND name <> ? AND name <> ?")) {
            st.setString(1, container);
            st.setString(2, keep);
            st.setString(3, alsoKeep == null ? keep : alsoKeep);
            st.executeUpdate();
        }
    }

    public void release(String world) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("UPDATE worlds SET locked_by = NULL WHERE name = ?")) {
                st.setString(1, world);
                return st.executeUpdate();
            }
        });
    }

    public void deleteWorld(String world) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("DELETE FROM worlds WHERE name = ?")) {
                st.setString(1, world);
                return st.executeUpdate();
            }
        });
    }

    private static Optional<WorldRow> world(Connection c, String name) throws SQLException {
        try (var st = c.prepareStatement("SELECT name, seed, locked_by, created_at FROM worlds WHERE name = ?")) {
            st.setString(1, name);
            return worlds(st.executeQuery()).stream().findFirst();
        }
    }

    private static List<WorldRow> worlds(ResultSet rs) throws SQLException {
        List<WorldRow> out = new ArrayList<>();
        while (rs.next()) {
            out.add(new WorldRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
        }
        return out;
    }
}
