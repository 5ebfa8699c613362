package dev.lightd.store;

import dev.lightd.store.McctlAuthStore.KeyRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mcctl keys found are kept in memory; a write of this process or a commit of another one on the
 * same file (the CLI, here a second connection as the CLI opens one) is seen by the next lookup.
 * Real SQLite files, no mocks.
 */
class McctlKeyCacheTest {

    static final KeyRow KEY = new KeyRow("0123abcd", "h".repeat(64), "panel", 1);

    @TempDir
    Path dir;
    Database daemon;
    Database cli;
    McctlAuthStore daemonKeys;
    McctlAuthStore cliKeys;

    @BeforeEach
    void setUp() {
        daemon = Database.open(dir.resolve("lightd.db"));
        cli = Database.open(dir.resolve("lightd.db"));
        daemonKeys = new McctlAuthStore(daemon);
        cliKeys = new McctlAuthStore(cli);
    }

    @AfterEach
    void tearDown() {
        cli.close();
        daemon.close();
    }

    @Test
    void aKeyRevokedByThisProcessIsRefusedAtTheNextLookup() {
        daemonKeys.insertKey(KEY);
        assertThat(daemonKeys.keyByHash(KEY.hash())).contains(KEY);
        assertThat(daemonKeys.keyByHash(KEY.hash())).contains(KEY);
        assertThat(daemonKeys.deleteKey(KEY.id())).isTrue();
        assertThat(daemonKeys.keyByHash(KEY.hash())).isEmpty();
    }

    @Test
    void aKeyRevokedByAnotherProcessIsRefusedAtTheNextLookup() {
        cliKeys.insertKey(KEY);
        assertThat(daemonKeys.keyByHash(KEY.hash())).as("a key the CLI made").contains(KEY);
        assertThat(daemonKeys.keyByHash(KEY.hash())).as("kept").contains(KEY);
        assertThat(cliKeys.deleteKey(KEY.id())).isTrue();
        assertThat(daemonKeys.keyByHash(KEY.hash())).as("revoked by the CLI").isEmpty();
    }

    @Test
    void aKeyNotFoundIsLookedUpAgainSoOneMadeLaterIsAccepted() {
        assertThat(daemonKeys.keyByHash(KEY.hash())).isEmpty();
        cliKeys.insertKey(KEY);
        assertThat(daemonKeys.keyByHash(KEY.hash())).contains(KEY);
    }

    @Test
    void aRevokedAndRemadeKeyIsSeenWithItsNewRow() {
        daemonKeys.insertKey(KEY);
        assertThat(daemonKeys.keyByHash(KEY.hash())).contains(KEY);
        cliKeys.deleteKey(KEY.id());
        KeyRow renamed = new KeyRow(KEY.id(), KEY.hash(), "renamed", 2);
        cliKeys.insertKey(renamed);
        assertThat(daemonKeys.keyByHash(KEY.hash())).contains(renamed);
    }

    @Test
    void theGenerationChangesWithAnotherProcessCommitOnlyAndNotWithReads() {
        long before = daemon.currentGeneration();
        assertThat(daemon.currentGeneration()).as("nothing happened").isEqualTo(before);
        daemonKeys.keyByHash(KEY.hash());
        daemonKeys.keys();
        assertThat(daemon.currentGeneration()).as("reads of this process").isEqualTo(before);
        cliKeys.keys();
        assertThat(daemon.currentGeneration()).as("reads of another process").isEqualTo(before);
        cliKeys.insertKey(KEY);
        long afterCli = daemon.currentGeneration();
        assertThat(afterCli).as("a commit of another process").isNotEqualTo(before);
        daemonKeys.deleteKey(KEY.id());
        assertThat(daemon.currentGeneration()).as("a write of this process").isNotEqualTo(afterCli);
    }
}
