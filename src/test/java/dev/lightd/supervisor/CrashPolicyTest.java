package dev.lightd.supervisor;

import dev.lightd.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrashPolicyTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    void theBackoffDoublesWithEachCrashInTheWindow() {
        CrashPolicy policy = new CrashPolicy(clock, new CrashPolicy.Settings(3, Duration.ofSeconds(60), Duration.ofMillis(250)));

        assertThat(policy.onCrash()).contains(Duration.ofMillis(250));
        clock.advance(Duration.ofSeconds(1));
        assertThat(policy.onCrash()).contains(Duration.ofMillis(500));
        clock.advance(Duration.ofSeconds(1));
        assertThat(policy.onCrash()).contains(Duration.ofMillis(1000));
    }

    @Test
    void moreThanMaxCrashesWithinTheWindowIsALoopAndStaysOne() {
        CrashPolicy policy = new CrashPolicy(clock, new CrashPolicy.Settings(3, Duration.ofSeconds(60), Duration.ofSeconds(1)));
        for (int i = 0; i < 3; i++) {
            assertThat(policy.onCrash()).isPresent();
            clock.advance(Duration.ofSeconds(10));
        }

        assertThat(policy.onCrash()).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(policy.onCrash()).isEmpty();
    }

    @Test
    void aSingleAllowedCrashLoopsAtTheSecond() {
        CrashPolicy policy = new CrashPolicy(clock, new CrashPolicy.Settings(1, Duration.ofSeconds(60), Duration.ofSeconds(2)));

        assertThat(policy.onCrash()).contains(Duration.ofSeconds(2));
        assertThat(policy.onCrash()).isEmpty();
    }

    @Test
    void aCrashOlderThanTheWindowNoLongerCounts() {
        CrashPolicy policy = new CrashPolicy(clock, new CrashPolicy.Settings(2, Duration.ofSeconds(60), Duration.ofSeconds(1)));
        assertThat(policy.onCrash()).contains(Duration.ofSeconds(1));    // t = 0
        clock.advance(Duration.ofSeconds(30));
        assertThat(policy.onCrash()).contains(Duration.ofSeconds(2));    // t = 30, two in the window

        clock.advance(Duration.ofSeconds(31));                            // t = 61: the first is out
        assertThat(policy.onCrash()).contains(Duration.ofSeconds(2));    // counts t=30 and t=61, not a loop

        clock.advance(Duration.ofSeconds(120));                           // all old: a fresh start
        assertThat(policy.onCrash()).contains(Duration.ofSeconds(1));
    }

    @Test
    void aCrashExactlyOneWindowOldStillCounts() {
        CrashPolicy policy = new CrashPolicy(clock, new CrashPolicy.Settings(1, Duration.ofSeconds(60), Duration.ofSeconds(1)));
        assertThat(policy.onCrash()).contains(Duration.ofSeconds(1));

        clock.advance(Duration.ofSeconds(60));
        assertThat(policy.onCrash()).isEmpty();
    }

    @Test
    void aLoopEndsOnceTheWindowHasPassed() {
        CrashPolicy policy = new CrashPolicy(clock, new CrashPolicy.Settings(1, Duration.ofSeconds(60), Duration.ofSeconds(1)));
        policy.onCrash();
        assertThat(policy.onCrash()).isEmpty();

        clock.advance(Duration.ofSeconds(61));
        assertThat(policy.onCrash()).contains(Duration.ofSeconds(1));
    }

    @Test
    void aZeroBackoffRestartsAtOnce() {
        CrashPolicy policy = new CrashPolicy(clock, new CrashPolicy.Settings(3, Duration.ofSeconds(60), Duration.ZERO));

        assertThat(policy.onCrash()).isEqualTo(Optional.of(Duration.ZERO));
        assertThat(policy.onCrash()).isEqualTo(Optional.of(Duration.ZERO));
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new CrashPolicy.Settings(0, Duration.ofSeconds(60), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CrashPolicy.Settings(3, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CrashPolicy.Settings(3, Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CrashPolicy.Settings(3, Duration.ofSeconds(60), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CrashPolicy.Settings.DEFAULTS)
                .isEqualTo(new CrashPolicy.Settings(3, Duration.ofSeconds(60), Duration.ofSeconds(1)));
    }

    @Test
    void formatNamesWholeSecondsInSecondsAndTheRestInMillis() {
        assertThat(CrashPolicy.format(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThat(CrashPolicy.format(Duration.ofSeconds(60))).isEqualTo("60s");
        assertThat(CrashPolicy.format(Duration.ofMillis(50))).isEqualTo("50ms");
        assertThat(CrashPolicy.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(CrashPolicy.format(Duration.ZERO)).isEqualTo("0s");
    }
}
