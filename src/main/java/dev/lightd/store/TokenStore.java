package dev.lightd.store;

import java.util.Optional;

/** Minted tokens by the SHA-256 of their text; the text itself is never stored. */
public final class TokenStore {

    public record TokenRow(String hash, long expiresAt, boolean removeOnUse) {}

    private final Database db;

    public TokenStore(Database db) {
        this.db = db;
    }

    public void insert(TokenRow row, long createdAt) {
        db.transaction(c -> {
            try (var st = c.prepareStatement(
                    "INSERT INTO tokens (hash, expires_at, remove_on_use, created_at) VALUES (?, ?, ?, ?)")) {
                st.setString(1, row.hash());
                st.setLong(2, row.expiresAt());
                st.setInt(3, row.removeOnUse() ? 1 : 0);
                st.setLong(4, createdAt);
                return st.executeUpdate();
            }
        });
    }

    /**
     * Looks the token up and, when it is single-use, deletes it in the same transaction, so two
     * requests racing with one single-use token cannot both pass.
     */
    public Optional<TokenRow> consume(String hash) {
        return db.transaction(c -> {
            TokenRow row;
            try (var st = c.prepareStatement("SELECT hash, expires_at, remove_on_use FROM tokens WHERE hash = ?")) {
                st.setString(1, hash);
                var rs = st.executeQuery();
                if (!rs.next()) {
                    return Optional.empty();
                }
                row = new TokenRow(rs.getString(1), rs.getLong(2), rs.getInt(3) == 1);
            }
            if (row.removeOnUse()) {
                try (var del = c.prepareStatement("DELETE FROM tokens WHERE hash = ?")) {
                    del.setString(1, hash);
                    del.executeUpdate();
                }
            }
            return Optional.of(row);
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
}
