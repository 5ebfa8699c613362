package dev.lightd.console;

/**
 * What a subscriber's queue does with the next event when the client reads more slowly than the
 * server prints. Console lines and stats samples are droppable: once the queue holds
 * {@code capacity} of them a gap begins and they are skipped (lines counted) until the client has
 * read the queue down to half; then the gap ends with one notice of how many lines it skipped,
 * placed where the gap was. Other events (state, daemon messages, answers) are never skipped: one
 * arriving in a gap is preceded by a notice of the lines skipped so far. Not thread-safe.
 */
public final class SkipAccounting {

    /** {@link #admit}: skip this event. */
    public static final long SKIP = -1;

    private final int capacity;
    private final int resumeAt;
    private boolean gap;
    private long skippedLines;

    public SkipAccounting(int capacity) {
        this.capacity = capacity;
        this.resumeAt = capacity / 2;
    }

    /**
     * @param queued how many events wait in the queue now
     * @return {@link #SKIP}; 0 to queue the event; n &gt; 0 to queue a notice of n skipped lines, then the event
     */
    public long admit(ConsoleEvent.Type type, int queued) {
        boolean droppable = type == ConsoleEvent.Type.CONSOLE || type == ConsoleEvent.Type.STATS;
        if (!droppable) {
            return takeSkipped();
        }
        if (gap && queued <= resumeAt) {
            gap = false;
            return takeSkipped();
        }
        if (gap || queued >= capacity) {
            gap = true;
            if (type == ConsoleEvent.Type.CONSOLE) {
                skippedLines++;
            }
            return SKIP;
        }
        return 0;
    }

    public boolean inGap() {
        return gap;
    }

    private long takeSkipped() {
        long n = skippedLines;
        skippedLines = 0;
        return n;
    }
}
