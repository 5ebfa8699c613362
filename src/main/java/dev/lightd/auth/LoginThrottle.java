package dev.lightd.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts failed logins per client address; past the limit within the window, logins are refused until it passes. */
public final class LoginThrottle {

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final Map<String, ArrayDeque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock, int maxFailures, Duration window) {
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
            if (q.size() < maxFailures) {
                return 0;
            }
            return Math.max(1, Duration.between(clock.instant(), q.peekFirst().plus(window)).toSeconds());
        }
    }

    public void failed(String client) {
        ArrayDeque<Instant> q = failures.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(clock.instant());
            prune(q);
        }
    }

    public void succeeded(String client) {
        failures.remove(client);
    }

    private void prune(ArrayDeque<Instant> q) {
        Instant cutoff = clock.instant().minus(window);
        while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) {
            q.removeFirst();
        }
    }
}
