package dev.lightd.auth;

import dev.lightd.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Failed mcctl logins per client address in a sliding window; the clock is moved by hand. */
class LoginThrottleTest {

    final ManualClock clock = new ManualClock("2026-03-01T12:00:00Z");
    final AtomicInteger maxFailures = new AtomicInteger(3);
    final AtomicReference<Duration> window = new AtomicReference<>(Duration.ofSeconds(60));
    final LoginThrottle throttle = new LoginThrottle(clock, maxFailures::get, window::get);

    static final String CLIENT = "203.0.113.7";

    @Test
    void anUnknownClientMayTry() {
        assertThat(throttle.retryAfterSeconds(CLIENT)).isZero();
    }

    @Test
    void belowTheLimitLoginsAreAllowedAndAtTheLimitTheWaitRunsFromTheFirstFailure() {
        throttle.failed(CLIENT);
        clock.advance(Duration.ofSeconds(10));
        throttle.failed(CLIENT);
        assertThat(throttle.retryAfterSeconds(CLIENT)).isZero();
        clock.advance(Duration.ofSeconds(10));
        throttle.failed(CLIENT); // the third in 20 s, with a limit of 3
        assertThat(throttle.retryAfterSeconds(CLIENT)).isEqualTo(40);
        clock.advance(Duration.ofSeconds(39));
        assertThat(throttle.retryAfterSeconds(CLIENT)).isEqualTo(1);
        clock.advance(Duration.ofMillis(500));
        assertThat(throttle.retryAfterSeconds(CLIENT)).as("never 0 while refused").isEqualTo(1);
        clock.advance(Duration.ofMillis(501)); // the first failure left the window
        assertThat(throttle.retryAfterSeconds(CLIENT)).isZero();
    }

    @Test
    void theWindowSlides() {
        throttle.failed(CLIENT);                    // t=0
        clock.advance(Duration.ofSeconds(10));
        throttle.failed(CLIENT);                    // t=10
        clock.advance(Duration.ofSeconds(10));
        throttle.failed(CLIENT);                    // t=20: refused until t=60
        clock.advance(Duration.ofSeconds(41));      // t=61: one attempt allowed again
        assertThat(throttle.retryAfterSeconds(CLIENT)).isZero();
        throttle.failed(CLIENT);                    // t=61: failures at 10, 20, 61
        assertThat(throttle.retryAfterSeconds(CLIENT)).isEqualTo(9); // until the one at 10 is 60 s old
    }

    @Test
    void eachAddressHasItsOwnCount() {
        for (int i = 0; i < 3; i++) {
            throttle.failed(CLIENT);
        }
        assertThat(throttle.retryAfterSeconds(CLIENT)).isEqualTo(60);
        assertThat(throttle.retryAfterSeconds("203.0.113.8")).isZero();
        assertThat(throttle.retryAfterSeconds("2001:db8::7")).isZero();
    }

    @Test
    void failuresAgeOutOfTheWindowOneByOne() {
        throttle.failed(CLIENT);
        clock.advance(Duration.ofSeconds(30));
        throttle.failed(CLIENT);
        throttle.failed(CLIENT);
        assertThat(throttle.retryAfterSeconds(CLIENT)).isEqualTo(30);
        clock.advance(Duration.ofSeconds(31));
        assertThat(throttle.retryAfterSeconds(CLIENT)).isZero();
    }

    @Test
    void limitAndWindowAreReadAtEachCallSoAReloadAppliesAtOnce() {
        for (int i = 0; i < 3; i++) {
            throttle.failed(CLIENT);
        }
        assertThat(throttle.retryAfterSeconds(CLIENT)).isEqualTo(60);
        maxFailures.set(5);
        assertThat(throttle.retryAfterSeconds(CLIENT)).isZero();
        maxFailures.set(3);
        window.set(Duration.ofSeconds(300));
        assertThat(throttle.retryAfterSeconds(CLIENT)).isEqualTo(300);
        window.set(Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(6));
        assertThat(throttle.retryAfterSeconds(CLIENT)).isZero();
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        throttle.failed(CLIENT);
        throttle.failed(CLIENT);
        clock.advance(Duration.ofSeconds(61));
        throttle.failed(CLIENT);
        throttle.failed(CLIENT);
        assertThat(throttle.retryAfterSeconds(CLIENT)).as("2 failures in the window, not 4").isZero();
    }
}
