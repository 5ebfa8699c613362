package dev.lightd.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Counts failed logins per client address; past the limit within the window, logins are refused
 * until it passes. Limit and window are read at each call, so a config reload applies at once.
 * A good login forgives nothing: otherwise a guesser holding one account of its own could log in
 * with it between guesses and never reach the limit. Failures only age out of the window.
 */
public final class LoginThrottle {

    /** Past this many tracked addresses, those with no recent failure are forgotten. */
    private static final int TRACKED = 10_000;

    private final Clock clock;
    private final IntSupplier maxFailures;
    private final Supplier<Duration> window;
    private final Map<String, ArrayDeque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock, IntSupplier maxFailures, Supplier<Duration> window) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
    }

    /** Seconds to wait before the next attempt, 0 when one is allowed now. */
    public long retryAfterSeconds(String client) {
        ArrayDeque<Instant> q = failures.get(client);
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            prune(q);
            if (q.size() < maxFailures.getAsInt()) {
                return 0;
            }
            return Math.max(1, Duration.between(clock.instant(), q.peekFirst().plus(window.get())).toSeconds());
        }
    }

    public void failed(String client) {
        if (failures.size() > TRACKED) {
            forgetQuietOnes();
        }
        ArrayDeque<Instant> q = failures.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(clock.instant());
            prune(q);
        }
    }

    /** Bounds the memory a spray of addresses can take. */
    private void forgetQuietOnes() {
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                prune(e.getValue());
                return e.getValue().isEmpty();
            }
        });
    }

    private void prune(ArrayDeque<Instant> q) {
        Instant cutoff = clock.instant().minus(window.get());
        while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) {
            q.removeFirst();
        }
    }
}
