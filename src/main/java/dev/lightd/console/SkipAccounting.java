package dev.lightd.console;

/**
 * What a subscriber's queue does with the next event when the client reads more slowly than the
 * server prints. Console lines and stats samples are droppable: once the queue holds
 * {@code capacity} events or {@code maxBytes} of them a gap begins and they are skipped (lines
 * counted) until the client has read the queue down to half of both; then the gap ends with one
 * notice of how many lines it skipped,
 * placed where the gap was. Other events (state, daemon messages, answers) are never skipped: one
 * arriving in a gap is preceded by a notice of the lines skipped so far. Not thread-safe.
 */
public final class SkipAccounting {

    /** {@link #admit}: skip this event. */
    public static final long SKIP = -1;

    private final int capacity;
    private final long maxBytes;
    private boolean gap;
    private long skippedLines;

    public SkipAccounting(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /**
     * @param queued how many events wait in the queue now
     * @param queuedBytes how many bytes of frames they hold
     * @return {@link #SKIP}; 0 to queue the event; n &gt; 0 to queue a notice of n skipped lines, then the event
     */
    public long admit(ConsoleEvent.Type type, int queued, long queuedBytes) {
        boolean droppable = type == ConsoleEvent.Type.CONSOLE || type == ConsoleEvent.Type.STATS;
        if (!droppable) {
            return takeSkipped();
        }
        if (gap && queued <= capacity / 2 && queuedBytes <= maxBytes / 2) {
            gap = false;
            return takeSkipped();
        }
        if (gap || queued >= capacity || queuedBytes >= maxBytes) {
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
