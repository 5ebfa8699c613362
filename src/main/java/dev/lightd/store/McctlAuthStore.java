package dev.lightd.store;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * mcctl API keys (SHA-256 only) and users (slow password hash). Keys found are kept in memory
 * until the store changes, in this process or in another (the CLI): see {@link #keyByHash}.
 */
public final class McctlAuthStore {

    public record KeyRow(String id, String hash, String name, long createdAt) {}

    public record UserRow(String username, String id, String role, String passwordHash, long createdAt) {}

    /** Keys found while the store was at this generation; only found keys, so its size is bounded by the table's. */
    private record KnownKeys(long generation, ConcurrentHashMap<String, KeyRow> byHash) {}

    private final Database db;
    private volatile KnownKeys known = new KnownKeys(Long.MIN_VALUE, new ConcurrentHashMap<>());

    public McctlAuthStore(Database db) {
        this.db = db;
    }

    public void insertKey(KeyRow k) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO api_keys (id, hash, name, created_at) VALUES (?,?,?,?)")) {
                st.setString(1, k.id());
                st.setString(2, k.hash());
                st.setString(3, k.name());
                st.setLong(4, k.createdAt());
                return st.executeUpdate();
            }
        });
    }

    /**
     * The key with this hash. Every mcctl request asks: a key found is answered from memory while
     * {@link Database#currentGeneration()} stays the same, which any write of this process and any
     * commit of another (a key revoked by {@code lightd mcctl key revoke}) changes, so a revoked key
     * is refused from the next request on. A hash not found is asked of SQLite every time: caching
     * misses would let anyone grow the map with made-up keys.
     */
    public Optional<KeyRow> keyByHash(String hash) {
        // the generation is read before the lookup: a change made meanwhile outdates what is kept, never the reverse
        KnownKeys current = knownAt(db.currentGeneration());
        KeyRow cached = current.byHash().get(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<KeyRow> row = lookUpKey(hash);
        // into the snapshot of the generation read before the lookup, whatever `known` is by now
        row.ifPresent(r -> current.byHash().put(hash, r));
        return row;
    }

    /** The keys kept for this generation: the ones kept so far, or none when the store has changed since. */
    private KnownKeys knownAt(long generation) {
        KnownKeys current = known;
        if (current.generation() == generation) {
            return current;
        }
        KnownKeys fresh = new KnownKeys(generation, new ConcurrentHashMap<>());
        known = fresh; // a racing older generation may overwrite it: that only costs a lookup
        return fresh;
    }

    private Optional<KeyRow> lookUpKey(String hash) {
        return db.read(c -> {
            try (var st = c.prepareStatement("SELECT id, hash, name, created_at FROM api_keys WHERE hash = ?")) {
                st.setString(1, hash);
                ResultSet rs = st.executeQuery();
                return rs.next() ? Optional.of(new KeyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                        : Optional.empty();
            }
        });
    }

    public List<KeyRow> keys() {
        return db.read(c -> {
            try (var st = c.prepareStatement("SELECT id, hash, name, created_at FROM api_keys ORDER BY created_at, id")) {
                ResultSet rs = st.executeQuery();
                List<KeyRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new KeyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
                return out;
            }
        });
    }

    public boolean deleteKey(String id) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("DELETE FROM api_keys WHERE id = ?")) {
                st.setString(1, id);
                return st.executeUpdate() == 1;
            }
        });
    }

    public boolean insertUser(UserRow u) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO users (username, id, role, password_hash, created_at)"
                    + " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING")) {
                st.setString(1, u.username());
                st.setString(2, u.id());
                st.setString(3, u.role());
                st.setString(4, u.passwordHash());
                st.setLong(5, u.createdAt());
                return st.executeUpdate() == 1;
            }
        });
    }

    public Optional<UserRow> user(String username) {
        return db.read(c -> {
            try (var st = c.prepareStatement(
                    "SELECT username, id, role, password_hash, created_at FROM users WHERE username = ?")) {
                st.setString(1, username);
                ResultSet rs = st.executeQuery();
                return rs.next() ? Optional.of(new UserRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getLong(5))) : Optional.empty();
            }
        });
    }

    public List<UserRow> users() {
        return db.read(c -> {
            try (var st = c.prepareStatement("SELECT username, id, role, password_hash, created_at FROM users ORDER BY username")) {
                ResultSet rs = st.executeQuery();
                List<UserRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new UserRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
                }
                return out;
            }
        });
    }

    public boolean setPassword(String username, String hash) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("UPDATE users SET password_hash = ? WHERE username = ?")) {
                st.setString(1, hash);
                st.setString(2, username);
                return st.executeUpdate() == 1;
            }
        });
    }

    public boolean deleteUser(String username) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("DELETE FROM users WHERE username = ?")) {
                st.setString(1, username);
                return st.executeUpdate() == 1;
            }
        });
    }
}
