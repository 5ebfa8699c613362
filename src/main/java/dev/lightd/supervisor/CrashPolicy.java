package dev.lightd.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Decides whether a crashed server is restarted: with a doubling delay, and not at all once it
 * crashed more than {@code maxCrashes} times within the window (a crash loop would only burn CPU
 * and flood the console). Exits caused by an engine outage are never reported here.
 */
public final class CrashPolicy {

    /** backoff: the delay before the first restart; each further crash in the window doubles it. */
    public record Settings(int maxCrashes, Duration window, Duration backoff) {

        public static final Settings DEFAULTS = new Settings(3, Duration.ofSeconds(60), Duration.ofSeconds(1));

        public Settings {
            if (maxCrashes < 1 || window.isNegative() || window.isZero() || backoff.isNegative()) {
                throw new IllegalArgumentException("crash policy: maxCrashes >= 1, window > 0, backoff >= 0");
            }
        }
    }

    private final Clock clock;
    private final Settings settings;
    private final ArrayDeque<Instant> recent = new ArrayDeque<>();

    public CrashPolicy(Clock clock, Settings settings) {
        this.clock = clock;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Records a crash; empty when the server is in a crash loop, else the delay before restarting. */
    public synchronized Optional<Duration> onCrash() {
        Instant now = clock.instant();
        recent.addLast(now);
        while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(settings.window()))) {
            recent.removeFirst();
        }
        if (recent.size() > settings.maxCrashes()) {
            return Optional.empty();
        }
        return Optional.of(settings.backoff().multipliedBy(1L << (recent.size() - 1)));
    }

    /** "1s", "60s", or "250ms" for what is not whole seconds: how daemon messages name a duration. */
    public static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
