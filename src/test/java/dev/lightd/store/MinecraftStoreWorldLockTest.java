package dev.lightd.store;

import dev.lightd.store.MinecraftStore.ServerRow;
import dev.lightd.store.MinecraftStore.WorldRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import org.assertj.core.groups.Tuple;

/**
 * The world locks of the mcctl face against a real SQLite file: a world is locked by at most one
 * server's container; {@code lock} (assigning a world) and {@code claimOnly} (starting on it) take a
 * free world, keep one the server already holds and answer the other holder otherwise.
 */
class MinecraftStoreWorldLockTest {

    static final String ALPHA = "mc-alpha";
    static final String BRAVO = "mc-bravo";

    @TempDir
    Path dir;
    Database db;
    MinecraftStore store;

    @BeforeEach
    void twoServersAndTwoWorlds() {
        db = Database.open(dir.resolve("lightd.db"));
        store = new MinecraftStore(db);
        assertThat(store.insertServer(server("alpha", "alpha"))).isTrue();
        assertThat(store.insertServer(server("bravo", "bravo"))).isTrue();
        assertThat(store.insertWorld(new WorldRow("shared", "42", null, 1_000))).isTrue();
        assertThat(store.insertWorld(new WorldRow("other", "7", null, 1_000))).isTrue();
    }

    @AfterEach
    void close() {
        db.close();
    }

    static ServerRow server(String name, String world) {
        return new ServerRow(name, null, "VANILLA", "LATEST", "2G", null, world, 25575, "secret", 1_000, false, false);
    }

    String holder(String world) {
        return store.world(world).orElseThrow().lockedBy();
    }

    String worldOf(String server) {
        return store.servers().stream().filter(s -> s.name().equals(server)).findFirst().orElseThrow().world();
    }

    @Test
    void aFreeWorldGoesToTheFirstServerAndTheSecondIsToldWhoHoldsIt() {
        assertThat(store.lock("shared", ALPHA, "alpha", null).heldBy()).isEmpty();
        assertThat(store.lock("shared", BRAVO, "bravo", null).heldBy()).contains(ALPHA);
        assertThat(store.claimOnly("shared", "42", BRAVO, 2_000)).contains(ALPHA);
        assertThat(holder("shared")).isEqualTo(ALPHA);
        assertThat(worldOf("alpha")).isEqualTo("shared");
        assertThat(worldOf("bravo")).as("a refused lock does not assign the world").isEqualTo("bravo");
    }

    @Test
    void serversRacingForOneWorldGetItOnceAndTheOthersAreToldTheWinner() throws Exception {
        for (int round = 0; round < 20; round++) {
            store.release("shared");
            int racers = 8;
            CountDownLatch go = new CountDownLatch(1);
            List<Callable<Optional<String>>> attempts = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String container = "mc-racer-" + i;
                boolean assign = i % 2 == 0; // half assign the world, half start on it
                attempts.add(() -> {
                    go.await();
                    return assign ? store.lock("shared", container, "racer-" + container, null).heldBy()
                            : store.claimOnly("shared", "42", container, 2_000);
                });
            }
            List<Optional<String>> answers = new ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(racers)) {
                List<Future<Optional<String>>> futures = new ArrayList<>();
                for (var attempt : attempts) {
                    futures.add(pool.submit(attempt));
                }
                go.countDown();
                for (var f : futures) {
                    answers.add(f.get());
                }
            }
            String winner = holder("shared");
            assertThat(winner).startsWith("mc-racer-");
            assertThat(answers.stream().filter(Optional::isEmpty)).as("round %d: one winner", round).hasSize(1);
            assertThat(answers.stream().filter(Optional::isPresent).map(Optional::get))
                    .as("round %d: every loser is told the winner", round).hasSize(racers - 1).containsOnly(winner);
        }
    }

    @Test
    void lockingAWorldDeletedMeanwhileSaysSoAndChangesNothing() {
        assertThat(store.lock("shared", ALPHA, "alpha", null).locked()).isTrue();
        var attempt = store.lock("no-such-world", ALPHA, "alpha", null);
        assertThat(attempt.worldExists()).isFalse();
        assertThat(attempt.locked()).isFalse();
        assertThat(holder("shared")).as("the server keeps the world it had").isEqualTo(ALPHA);
        assertThat(worldOf("alpha")).isEqualTo("shared");
    }

    @Test
    void aServerLockingItsOwnWorldAgainKeepsIt() {
        assertThat(store.lock("shared", ALPHA, "alpha", null).heldBy()).isEmpty();
        assertThat(store.lock("shared", ALPHA, "alpha", null).heldBy()).isEmpty();
        assertThat(store.claimOnly("shared", "42", ALPHA, 2_000)).isEmpty();
        assertThat(holder("shared")).isEqualTo(ALPHA);
    }

    @Test
    void aLockHeldIsKeptAndARefusedClaimChangesNothing() {
        assertThat(store.lock("shared", ALPHA, "alpha", null).heldBy()).isEmpty();
        assertThat(store.lock("other", BRAVO, "bravo", null).heldBy()).isEmpty();
        assertThat(store.claimOnly("shared", "42", BRAVO, 2_000)).contains(ALPHA);
        assertThat(holder("shared")).isEqualTo(ALPHA);
        assertThat(holder("other")).as("bravo's own world stays its own").isEqualTo(BRAVO);
    }

    @Test
    void releaseFreesTheWorldForAnotherServer() {
        store.lock("shared", ALPHA, "alpha", null);
        store.release("shared");
        assertThat(holder("shared")).isNull();
        assertThat(store.lock("shared", BRAVO, "bravo", null).heldBy()).isEmpty();
        assertThat(holder("shared")).isEqualTo(BRAVO);
        assertThat(store.lock("shared", ALPHA, "alpha", null).heldBy()).contains(BRAVO);
    }

    @Test
    void assigningAnotherWorldReleasesTheOneTheServerHad() {
        store.lock("shared", ALPHA, "alpha", null);
        assertThat(store.lock("other", ALPHA, "alpha", null).heldBy()).isEmpty();
        assertThat(holder("other")).isEqualTo(ALPHA);
        assertThat(holder("shared")).isNull();
        assertThat(worldOf("alpha")).isEqualTo("other");
        assertThat(store.lock("shared", BRAVO, "bravo", null).heldBy()).isEmpty();
    }

    @Test
    void theWorldARunningServerHasMountedStaysLockedUntilItStartsOnTheNewOne() {
        store.lock("shared", ALPHA, "alpha", null);
        // alpha runs on shared and is assigned other: both are its own until it starts again
        assertThat(store.lock("other", ALPHA, "alpha", "shared").heldBy()).isEmpty();
        assertThat(holder("shared")).isEqualTo(ALPHA);
        assertThat(holder("other")).isEqualTo(ALPHA);
        assertThat(store.lock("shared", BRAVO, "bravo", null).heldBy()).contains(ALPHA);

        assertThat(store.claimOnly("other", "7", ALPHA, 2_000)).isEmpty(); // it starts on other
        assertThat(holder("other")).isEqualTo(ALPHA);
        assertThat(holder("shared")).isNull();
        assertThat(store.lock("shared", BRAVO, "bravo", null).heldBy()).isEmpty();
    }

    @Test
    void claimingAMissingWorldMakesItLockedWithTheServersSeed() {
        assertThat(store.claimOnly("fresh", "12345", ALPHA, 1_700_000_000)).isEmpty();
        assertThat(store.world("fresh")).contains(new WorldRow("fresh", "12345", ALPHA, 1_700_000_000));
    }

    @Test
    void claimingAnExistingFreeWorldKeepsItsSeedAndDate() {
        assertThat(store.claimOnly("shared", "999", ALPHA, 2_000)).isEmpty();
        assertThat(store.world("shared")).contains(new WorldRow("shared", "42", ALPHA, 1_000));
    }

    @Test
    void claimingOneWorldReleasesEveryOtherOfThatServer() {
        store.lock("shared", ALPHA, "alpha", null);
        store.lock("other", ALPHA, "alpha", "shared");
        assertThat(store.claimOnly("third", null, ALPHA, 2_000)).isEmpty();
        assertThat(store.worlds()).extracting(WorldRow::name, WorldRow::lockedBy).containsExactly(
                Tuple.tuple("other", null),
                Tuple.tuple("shared", null),
                Tuple.tuple("third", ALPHA));
    }

    @Test
    void deletingAServerReleasesItsLocksAndNoOneElses() {
        store.lock("shared", ALPHA, "alpha", null);
        store.lock("other", BRAVO, "bravo", null);
        store.deleteServer("alpha", ALPHA);
        assertThat(holder("shared")).isNull();
        assertThat(holder("other")).isEqualTo(BRAVO);
        assertThat(store.servers()).extracting(ServerRow::name).containsExactly("bravo");
    }

    @Test
    void aLockSurvivesReopeningTheDatabase() {
        store.lock("shared", ALPHA, "alpha", null);
        db.close();
        db = Database.open(dir.resolve("lightd.db"));
        store = new MinecraftStore(db);
        assertThat(holder("shared")).isEqualTo(ALPHA);
        assertThat(store.lock("shared", BRAVO, "bravo", null).heldBy()).contains(ALPHA);
        assertThat(worldOf("alpha")).isEqualTo("shared");
    }
}
