package dev.lightd.container;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Decides whether a crashed container (of either face) is restarted: with a growing delay, and not at all once it
 * crashed too often in a short window (a crash loop would only burn CPU and flood the console).
 */
public final class CrashPolicy {

    static final int MAX_CRASHES = 3;
    static final Duration WINDOW = Duration.ofSeconds(60);

    private final Clock clock;
    private final ArrayDeque<Instant> recent = new ArrayDeque<>();

    public CrashPolicy(Clock clock) {
        this.clock = clock;
    }

    /** Records a crash; empty when the container is in a crash loop, else the delay before restarting. */
    public synchronized java.util.Optional<Duration> onCrash() {
        Instant now = clock.instant();
        recent.addLast(now);
        while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(WINDOW))) {
            recent.removeFirst();
        }
        if (recent.size() > MAX_CRASHES) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Duration.ofSeconds(1L << (recent.size() - 1)));
    }

    public synchronized void reset() {
        recent.clear();
    }
}
