package dev.lightd.auth;

import dev.lightd.config.LiveConfig;
import dev.lightd.store.TokenStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.time.temporal.ChronoUnit;

/**
 * Checks bearer tokens and mints new ones. Minted tokens are stored as SHA-256 only; the master
 * token is compared in constant time. The clock is injected so expiry can be tested without waiting.
 */
public final class TokenService {

    private static final HexFormat HEX = HexFormat.of();

    private final LiveConfig config;
    private final TokenStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenService(LiveConfig config, TokenStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    public MintedToken mint(Duration ttl, boolean removeOnUse) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String token = "lightd_" + HEX.formatHex(bytes);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        store.insert(new TokenStore.TokenRow(sha256(token), expiresAt.getEpochSecond(), removeOnUse),
                now.getEpochSecond());
        return new MintedToken(token, expiresAt);
    }

    /** The caller a token stands for, or empty when it is unknown, expired or already used. */
    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        String master = config.get().authorization().token();
        byte[] presented = sha256Bytes(token);
        if (master != null && MessageDigest.isEqual(presented, sha256Bytes(master))) {
            return Optional.of(Caller.MASTER);
        }
        String hash = HEX.formatHex(presented);
        return store.consume(hash)
                .filter(row -> MessageDigest.isEqual(
                        row.hash().getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII)))
                .filter(row -> clock.instant().getEpochSecond() < row.expiresAt())
                .map(row -> Caller.MINTED);
    }

    public int purgeExpired() {
        return store.deleteExpired(clock.instant().getEpochSecond());
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
