package dev.lightd.console;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} held, full at first. The rate
 * and burst are passed on every take so that a config reload applies at once. Not thread-safe: the
 * caller holds its own lock.
 */
public final class TokenBucket {

    private final LongSupplier nanoClock;
    private double tokens = -1;
    private long last;

    public TokenBucket(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    public TokenBucket() {
        this(System::nanoTime);
    }

    /** Takes one token if there is one. */
    public boolean tryTake(double rate, int burst) {
        long now = nanoClock.getAsLong();
        if (tokens < 0) {
            tokens = burst;
        } else {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        }
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
