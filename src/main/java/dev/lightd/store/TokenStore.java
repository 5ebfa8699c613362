package dev.lightd.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Minted tokens by the SHA-256 of their text; the text itself is never stored. Scopes and bindings
 * are JSON text the auth layer reads (NULL: none given). A single-use token is marked used, not
 * deleted, so it stays listed and revocable until it expires.
 */
public final class TokenStore {

    public record TokenRow(String id, String hash, long expiresAt, boolean removeOnUse, long createdAt,
                           String scopes, String bindings, Long usedAt) {}

    private static final String COLUMNS =
            "id, hash, expires_at, remove_on_use, created_at, scopes, bindings, used_at";

    private final Database db;

    public TokenStore(Database db) {
        this.db = db;
    }

    public void insert(TokenRow row) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                st.setString(1, row.id());
                st.setString(2, row.hash());
                st.setLong(3, row.expiresAt());
                st.setInt(4, row.removeOnUse() ? 1 : 0);
                st.setLong(5, row.createdAt());
                st.setString(6, row.scopes());
                st.setString(7, row.bindings());
                if (row.usedAt() == null) {
                    st.setNull(8, Types.INTEGER);
                } else {
                    st.setLong(8, row.usedAt());
                }
                return st.executeUpdate();
            }
        });
    }

    /** The token with this hash, used or not: the caller decides what a used one means. */
    public Optional<TokenRow> find(String hash) {
        return db.read(c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM tokens WHERE hash = ?")) {
                st.setString(1, hash);
                var rs = st.executeQuery();
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        });
    }

    /**
     * Marks a single-use token used; true only for the one call that did, so two requests racing
     * with one single-use token cannot both pass.
     */
    public boolean markUsed(String id, long nowEpochSeconds) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("UPDATE tokens SET used_at = ? WHERE id = ? AND used_at IS NULL")) {
                st.setLong(1, nowEpochSeconds);
                st.setString(2, id);
                return st.executeUpdate() == 1;
            }
        });
    }

    /** Every stored token, oldest first. */
    public List<TokenRow> list() {
        return db.read(c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM tokens ORDER BY created_at, id")) {
                var rs = st.executeQuery();
                List<TokenRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row(rs));
                }
                return out;
            }
        });
    }

    public boolean exists(String id) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("SELECT 1 FROM tokens WHERE id = ?")) {
                st.setString(1, id);
                return st.executeQuery().next();
            }
        });
    }

    public boolean delete(String id) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("DELETE FROM tokens WHERE id = ?")) {
                st.setString(1, id);
                return st.executeUpdate() == 1;
            }
        });
    }

    public int deleteExpired(long nowEpochSeconds) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("DELETE FROM tokens WHERE expires_at <= ?")) {
                st.setLong(1, nowEpochSeconds);
                return st.executeUpdate();
            }
        });
    }

    private static TokenRow row(ResultSet rs) throws SQLException {
        long usedAt = rs.getLong(8);
        Long used = rs.wasNull() ? null : usedAt;
        return new TokenRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4) == 1, rs.getLong(5),
                rs.getString(6), rs.getString(7), used);
    }
}
