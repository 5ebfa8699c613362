package dev.lightd.auth;

import dev.lightd.ManualClock;
import dev.lightd.config.ConfigFile;
import dev.lightd.config.LiveConfig;
import dev.lightd.store.Database;
import dev.lightd.store.TokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a real SQLite file; only the clock is ours, so expiry is tested without waiting. */
class TokenServiceTest {

    @TempDir
    Path dir;
    Database db;
    ManualClock clock = new ManualClock("2026-01-28T14:30:00Z");
    TokenService tokens;
    String master;

    @BeforeEach
    void setUp() {
        db = Database.open(dir.resolve("lightd.db"));
        ConfigFile file = new ConfigFile(dir);
        var config = file.loadOrCreate();
        master = config.authorization().token();
        tokens = new TokenService(new LiveConfig(file, config), new TokenStore(db), clock);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void masterTokenIsTheMaster() {
        assertThat(tokens.authenticate(master)).contains(Caller.MASTER);
        assertThat(tokens.authenticate(master + "x")).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
    }

    @Test
    void mintedTokenHasTheDocumentedFormAndExpiry() {
        MintedToken minted = tokens.mint(Duration.ofHours(1), false);
        assertThat(minted.token()).matches("lightd_[0-9a-f]{32}");
        assertThat(minted.expiresAt()).isEqualTo(Instant.parse("2026-01-28T15:30:00Z"));
    }

    @Test
    void mintedTokenWorksUntilItsTtlRunsOut() {
        MintedToken minted = tokens.mint(Duration.ofSeconds(30), false);
        assertThat(tokens.authenticate(minted.token())).hasValueSatisfying(c -> assertThat(c.isMaster()).isFalse());
        clock.advance(Duration.ofSeconds(29));
        assertThat(tokens.authenticate(minted.token())).hasValueSatisfying(c -> assertThat(c.isMaster()).isFalse());
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.authenticate(minted.token())).isEmpty();
    }

    @Test
    void singleUseTokenWorksOnce() {
        MintedToken minted = tokens.mint(Duration.ofMinutes(15), true);
        assertThat(tokens.authenticate(minted.token())).hasValueSatisfying(c -> assertThat(c.isMaster()).isFalse());
        assertThat(tokens.authenticate(minted.token())).isEmpty();
    }

    @Test
    void singleUseTokenRacedByManyRequestsPassesExactlyOnce() throws Exception {
        MintedToken minted = tokens.mint(Duration.ofMinutes(15), true);
        List<Callable<Optional<Caller>>> attempts = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            attempts.add(() -> tokens.authenticate(minted.token()));
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            long passed = 0;
            for (Future<Optional<Caller>> f : pool.invokeAll(attempts)) {
                if (f.get().isPresent()) {
                    passed++;
                }
            }
            assertThat(passed).isEqualTo(1);
        }
    }

    @Test
    void tokensAreStoredHashedNeverAsText() throws Exception {
        MintedToken minted = tokens.mint(Duration.ofHours(1), false);
        String stored = db.transaction(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT hash FROM tokens")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(stored).hasSize(64).doesNotContain(minted.token().substring(7));
    }

    @Test
    void purgeRemovesOnlyExpiredTokens() {
        tokens.mint(Duration.ofSeconds(30), false);
        MintedToken longLived = tokens.mint(Duration.ofDays(1), false);
        clock.advance(Duration.ofMinutes(1));
        assertThat(tokens.purgeExpired()).isEqualTo(1);
        assertThat(tokens.authenticate(longLived.token())).hasValueSatisfying(c -> assertThat(c.isMaster()).isFalse());
    }

    @Test
    void scopedTokenKeepsItsScopesAndBindingsAndAnIdInTheStore() {
        TokenGrant grant = new TokenGrant(Set.of(Scope.CONSOLE), List.of("minecraft-001"), null);
        MintedToken minted = tokens.mint(Duration.ofMinutes(5), true, grant);
        assertThat(minted.id()).matches("[0-9a-f]{16}");
        Caller caller = tokens.identify(minted.token()).orElseThrow();
        assertThat(caller.tokenId()).isEqualTo(minted.id());
        assertThat(caller.grant()).isEqualTo(grant);
        assertThat(caller.singleUse()).isTrue();
        assertThat(caller.grant().allows(Scope.CONSOLE)).isTrue();
        assertThat(caller.grant().allows(Scope.FILES_WRITE)).isFalse();
        assertThat(caller.grant().allowsContainer("minecraft-001")).isTrue();
        assertThat(caller.grant().allowsContainer("minecraft-002")).isFalse();
        assertThat(caller.grant().allowsVolume("d6764075-c5f1-4045-9fb3-85315b85cb0f")).isFalse();
    }

    @Test
    void unscopedTokenStaysUnscoped() {
        MintedToken minted = tokens.mint(Duration.ofMinutes(5), false);
        Caller caller = tokens.identify(minted.token()).orElseThrow();
        assertThat(caller.grant()).isEqualTo(TokenGrant.UNSCOPED);
        for (Scope scope : Scope.values()) {
            assertThat(caller.grant().allows(scope)).isTrue();
        }
        assertThat(caller.grant().bound()).isFalse();
    }

    @Test
    void identifyingASingleUseTokenDoesNotUseItUpRedeemingDoes() {
        MintedToken minted = tokens.mint(Duration.ofMinutes(15), true);
        Caller caller = tokens.identify(minted.token()).orElseThrow();
        assertThat(tokens.identify(minted.token())).isPresent();
        assertThat(tokens.redeem(caller)).isTrue();
        assertThat(tokens.redeem(caller)).isFalse();
        assertThat(tokens.identify(minted.token())).isEmpty();
        assertThat(tokens.list()).singleElement().satisfies(t -> assertThat(t.usedAt()).isEqualTo(clock.instant()));
    }

    @Test
    void listShowsTokensWithoutTheirValuesAndRevokeDeletesAndTellsListeners() {
        MintedToken a = tokens.mint(Duration.ofHours(1), false,
                new TokenGrant(Set.of(Scope.FILES_READ), null, List.of("d6764075-c5f1-4045-9fb3-85315b85cb0f")));
        MintedToken b = tokens.mint(Duration.ofHours(1), false);
        assertThat(tokens.list()).extracting(TokenService.TokenInfo::id).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(tokens.list().toString()).doesNotContain(a.token(), b.token(), a.token().substring(7));
        List<String> revoked = new ArrayList<>();
        tokens.onRevoke(revoked::add);
        assertThat(tokens.revoke(a.id())).isTrue();
        assertThat(tokens.revoke(a.id())).isFalse();
        assertThat(revoked).containsExactly(a.id(), a.id());
        assertThat(tokens.identify(a.token())).isEmpty();
        assertThat(tokens.identify(b.token())).isPresent();
    }
}
