package dev.lightd.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.lightd.config.LiveConfig;
import dev.lightd.json.Json;
import dev.lightd.store.TokenStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Checks bearer tokens, mints, lists and revokes them. Minted tokens are stored as SHA-256 only;
 * the master token is compared in constant time. The clock is injected so expiry can be tested
 * without waiting.
 */
public final class TokenService {

    /** What the master sees of a token in {@code GET /auth/tokens}: never its text nor its hash. */
    public record TokenInfo(String id, TokenGrant grant, Instant expiresAt, boolean removeOnUse,
                            Instant createdAt, Instant usedAt) {}

    private static final HexFormat HEX = HexFormat.of();

    private final LiveConfig config;
    private final TokenStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();
    /** The master token's hash, made again only when a config reload brings another token. */
    private volatile MasterHash masterHash;

    private record MasterHash(String token, byte[] hash) {}

    public TokenService(LiveConfig config, TokenStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    public MintedToken mint(Duration ttl, boolean removeOnUse) {
        return mint(ttl, removeOnUse, TokenGrant.UNSCOPED);
    }

    public MintedToken mint(Duration ttl, boolean removeOnUse, TokenGrant grant) {
        String token = "lightd_" + randomHex(16);
        String id = randomHex(8);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        store.insert(new TokenStore.TokenRow(id, sha256(token), expiresAt.getEpochSecond(), removeOnUse,
                now.getEpochSecond(), scopesText(grant), bindingsText(grant), null));
        return new MintedToken(id, token, expiresAt);
    }

    /**
     * The caller a token stands for, single-use tokens consumed at once; empty when it is unknown,
     * expired or already used. The Lightd face uses {@link #identify} and {@link #redeem} instead, so
     * that a request its token may not make does not use the token up.
     */
    public Optional<Caller> authenticate(String token) {
        return identify(token).filter(this::redeem);
    }

    /** The caller a token stands for, without using a single-use token up. */
    public Optional<Caller> identify(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] master = masterHash(config.get().authorization().token());
        byte[] presented = sha256Bytes(token);
        if (master != null && MessageDigest.isEqual(presented, master)) {
            return Optional.of(Caller.MASTER);
        }
        String hash = HEX.formatHex(presented);
        return store.find(hash)
                .filter(row -> MessageDigest.isEqual(
                        row.hash().getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII)))
                .filter(row -> clock.instant().getEpochSecond() < row.expiresAt())
                .filter(row -> row.usedAt() == null)
                .map(row -> Caller.minted(row.id(), grant(row), row.removeOnUse()));
    }

    private byte[] masterHash(String master) {
        if (master == null) {
            return null;
        }
        MasterHash m = masterHash;
        if (m == null || !m.token().equals(master)) {
            m = new MasterHash(master, sha256Bytes(master));
            masterHash = m;
        }
        return m.hash();
    }

    /** Uses a single-use token up; false when another request already did. Other callers pass as they are. */
    public boolean redeem(Caller caller) {
        return !caller.singleUse() || store.markUsed(caller.tokenId(), clock.instant().getEpochSecond());
    }

    public List<TokenInfo> list() {
        List<TokenInfo> out = new ArrayList<>();
        for (TokenStore.TokenRow row : store.list()) {
            out.add(new TokenInfo(row.id(), grant(row), Instant.ofEpochSecond(row.expiresAt()), row.removeOnUse(),
                    Instant.ofEpochSecond(row.createdAt()),
                    row.usedAt() == null ? null : Instant.ofEpochSecond(row.usedAt())));
        }
        return out;
    }

    /**
     * Deletes the token and tells the listeners (the console closes what it opened), even when the
     * row was already gone; true when there was a row.
     */
    public boolean revoke(String id) {
        boolean existed = store.delete(id);
        revocationListeners.forEach(l -> l.accept(id));
        return existed;
    }

    /** False once the token is revoked (or purged after expiry). */
    public boolean exists(String id) {
        return store.exists(id);
    }

    /** Called with a token's id when it is revoked. */
    public void onRevoke(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    public int purgeExpired() {
        return store.deleteExpired(clock.instant().getEpochSecond());
    }

    private static TokenGrant grant(TokenStore.TokenRow row) {
        try {
            Set<Scope> scopes = null;
            if (row.scopes() != null) {
                scopes = EnumSet.noneOf(Scope.class);
                for (String name : Json.MAPPER.readValue(row.scopes(), new TypeReference<List<String>>() {})) {
                    // a scope this version does not know grants nothing
                    Scope.of(name).ifPresent(scopes::add);
                }
            }
            List<String> containers = null;
            List<String> volumes = null;
            if (row.bindings() != null) {
                Map<String, List<String>> b = Json.MAPPER.readValue(row.bindings(),
                        new TypeReference<Map<String, List<String>>>() {});
                containers = b.get("containers");
                volumes = b.get("volumes");
                if (containers == null && volumes == null) {
                    containers = List.of(); // bound to something unreadable: bound to nothing
                }
            }
            return new TokenGrant(scopes, containers, volumes);
        } catch (JsonProcessingException e) {
            // a row that cannot be read grants nothing
            return new TokenGrant(Set.of(), List.of(), List.of());
        }
    }

    private static String scopesText(TokenGrant grant) {
        if (grant.scopes() == null) {
            return null;
        }
        return write(grant.scopes().stream().sorted().map(Scope::wire).toList());
    }

    private static String bindingsText(TokenGrant grant) {
        if (!grant.bound()) {
            return null;
        }
        Map<String, List<String>> b = new LinkedHashMap<>();
        if (grant.containers() != null) {
            b.put("containers", grant.containers());
        }
        if (grant.volumes() != null) {
            b.put("volumes", grant.volumes());
        }
        return write(b);
    }

    private static String write(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HEX.formatHex(b);
    }

    private static String sha256(String text) {
        return HEX.formatHex(sha256Bytes(text));
    }

    private static byte[] sha256Bytes(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
