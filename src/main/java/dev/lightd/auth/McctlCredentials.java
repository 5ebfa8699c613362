package dev.lightd.auth;

import dev.lightd.ServiceException;
import dev.lightd.store.McctlAuthStore;
import dev.lightd.store.McctlAuthStore.KeyRow;
import dev.lightd.store.McctlAuthStore.UserRow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** API keys and users of the mcctl face. Keys are shown once and stored as SHA-256; passwords as Argon2id. */
public final class McctlCredentials {

    public record NewKey(String id, String key) {}

    private static final Pattern USERNAME = Pattern.compile("[a-zA-Z0-9_.-]{1,64}");
    private static final HexFormat HEX = HexFormat.of();

    private final McctlAuthStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public McctlCredentials(McctlAuthStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public NewKey createKey(String name) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String key = "mctk_" + HEX.formatHex(bytes);
        String id = key.substring(5, 13);
        store.insertKey(new KeyRow(id, sha256(key), name == null || name.isBlank() ? "key" : name,
                clock.instant().getEpochSecond()));
        return new NewKey(id, key);
    }

    public List<KeyRow> keys() {
        return store.keys();
    }

    public boolean revokeKey(String id) {
        return store.deleteKey(id);
    }

    public boolean validKey(String key) {
        return key(key).isPresent();
    }

    /** The stored key this text is (its id and name, for the audit log's actor), if it is one. */
    public Optional<KeyRow> key(String key) {
        if (key == null || !key.startsWith("mctk_")) {
            return Optional.empty();
        }
        String hash = sha256(key);
        return store.keyByHash(hash)
                .filter(k -> MessageDigest.isEqual(k.hash().getBytes(StandardCharsets.US_ASCII),
                        hash.getBytes(StandardCharsets.US_ASCII)));
    }

    public UserRow addUser(String username, String role, String password) {
        requireUsername(username);
        requireRole(role);
        requirePassword(password);
        UserRow row = new UserRow(username, "user-" + UUID.randomUUID().toString().substring(0, 8), role,
                PasswordHasher.hash(password), clock.instant().getEpochSecond());
        if (!store.insertUser(row)) {
            throw ServiceException.conflict("User already exists: " + username);
        }
        return row;
    }

    public List<UserRow> users() {
        return store.users();
    }

    public boolean removeUser(String username) {
        return store.deleteUser(username);
    }

    public boolean setPassword(String username, String password) {
        requirePassword(password);
        return store.setPassword(username, PasswordHasher.hash(password));
    }

    /** The user whose password matches; the same work is done for unknown names, so timing tells nothing. */
    public Optional<UserRow> check(String username, String password) {
        Optional<UserRow> user = username == null ? Optional.empty() : store.user(username);
        String hash = user.map(UserRow::passwordHash).orElse(DummyHash.VALUE);
        boolean ok = PasswordHasher.verify(password == null ? "" : password, hash);
        return ok ? user : Optional.empty();
    }

    /** Made at the first login, not at start: one Argon2 hash is 19 MiB and a noticeable part of start-up. */
    private static final class DummyHash {
        static final String VALUE = PasswordHasher.hash("not a password anyone has");
    }

    private static void requireUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ServiceException.badRequest("Invalid username: 1-64 letters, digits, '_', '.' or '-'");
        }
    }

    private static void requireRole(String role) {
        if (!"admin".equals(role) && !"viewer".equals(role)) {
            throw ServiceException.badRequest("Invalid role: admin or viewer");
        }
    }

    private static void requirePassword(String password) {
        if (password == null || password.length() < 8) {
            throw ServiceException.badRequest("Invalid password: at least 8 characters");
        }
    }

    static String sha256(String text) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
