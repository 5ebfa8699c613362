package dev.lightd.store;

import dev.lightd.auth.TokenGrant;
import dev.lightd.auth.TokenService;
import dev.lightd.config.ConfigFile;
import dev.lightd.config.LiveConfig;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** V8__token_scopes: tokens minted before it get an id and keep their meaning (unscoped, unbound). */
class TokenMigrationTest {

    @TempDir
    Path dir;

    @Test
    void tokensFromBeforeScopesGetAnIdAndStayUnscoped() throws Exception {
        Path file = dir.resolve("lightd.db");
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("6").load().migrate();
        String token = "lightd_0123456789abcdef0123456789abcdef";
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
        long now = Instant.parse("2026-01-28T14:30:00Z").getEpochSecond();
        try (var c = ds.getConnection(); var st = c.prepareStatement(
                "INSERT INTO tokens (hash, expires_at, remove_on_use, created_at) VALUES (?, ?, 1, ?)")) {
            st.setString(1, hash);
            st.setLong(2, now + 3600);
            st.setLong(3, now);
            st.executeUpdate();
        }

        try (Database db = Database.open(file)) {
            ConfigFile config = new ConfigFile(dir);
            TokenService tokens = new TokenService(new LiveConfig(config, config.loadOrCreate()), new TokenStore(db),
                    Clock.fixed(Instant.ofEpochSecond(now + 60), ZoneOffset.UTC));
            var listed = tokens.list();
            assertThat(listed).singleElement().satisfies(t -> {
                assertThat(t.id()).matches("[0-9a-f]{32}");
                assertThat(t.grant()).isEqualTo(TokenGrant.UNSCOPED);
                assertThat(t.removeOnUse()).isTrue();
                assertThat(t.usedAt()).isNull();
            });
            var caller = tokens.identify(token).orElseThrow();
            assertThat(caller.tokenId()).isEqualTo(listed.getFirst().id());
            assertThat(caller.grant()).isEqualTo(TokenGrant.UNSCOPED);
            assertThat(tokens.authenticate(token)).isPresent();
            assertThat(tokens.authenticate(token)).as("still single-use").isEmpty();
        }
    }
}
