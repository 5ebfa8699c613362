package dev.lightd.console;

/**
 * Flood control of one console's output: lines beyond the budget (a {@link TokenBucket} of
 * output_lines_per_second, holding output_burst_lines) are dropped from the live fan-out and
 * counted. An episode begins with the first dropped line; it is reported once, with the count,
 * when no line was dropped for {@link #QUIET_NANOS}; a flood that goes on is reported every
 * {@link #MAX_EPISODE_NANOS} (each report a new episode). Not thread-safe: the hub's lock guards it.
 */
public final class OutputFlood {

    public static final long QUIET_NANOS = 1_000_000_000L;
    public static final long MAX_EPISODE_NANOS = 10_000_000_000L;

    private final TokenBucket bucket;
    private long dropped;
    private long episodeStart;
    private long lastDrop;
    private boolean inEpisode;

    public OutputFlood(TokenBucket bucket) {
        this.bucket = bucket;
    }

    /** Whether this line goes to the subscribers; false: it is dropped and counted. */
    public boolean admit(long now, int linesPerSecond, int burst) {
        if (bucket.tryTake(linesPerSecond, burst)) {
            return true;
        }
        if (!inEpisode) {
            inEpisode = true;
            episodeStart = now;
        }
        lastDrop = now;
        dropped++;
        return false;
    }

    public boolean inEpisode() {
        return inEpisode;
    }

    /**
     * The number of dropped lines to report now, 0 when nothing is due. After a report of an ended
     * episode {@link #inEpisode()} is false.
     */
    public long due(long now) {
        if (!inEpisode) {
            return 0;
        }
        boolean quiet = now - lastDrop >= QUIET_NANOS;
        if (!quiet && now - episodeStart < MAX_EPISODE_NANOS) {
            return 0;
        }
        long n = dropped;
        dropped = 0;
        if (quiet) {
            inEpisode = false;
        } else {
            episodeStart = now;
        }
        return n;
    }
}
