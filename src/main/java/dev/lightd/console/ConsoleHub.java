package dev.lightd.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;

/**
 * The console of one container: a ring buffer of recent lines, and a fan-out of every event to
 * every subscriber through that subscriber's own bounded queue. Publishing never blocks: a
 * subscriber whose queue is full skips lines (see {@link ConsoleSubscription}), so a slow client
 * cannot slow the others or the server.
 *
 * <p>Flood control: lines beyond the output budget ({@link Limits}) still enter the history but
 * are not fanned out; each flood episode is reported to the subscribers once as a daemon message
 * with the number of lines dropped ({@link OutputFlood}).
 */
public final class ConsoleHub {

    private static final Logger log = LoggerFactory.getLogger(ConsoleHub.class);
    private static final long LIMITS_REFRESH_NANOS = 1_000_000_000L;
    private static final long REPORT_CHECK_MS = 250;

    /** The output budget and the history's size in bytes; read again about once a second. */
    public record Limits(int outputLinesPerSecond, int outputBurstLines, int historyMaxBytes) {
        public static final Limits DEFAULTS = new Limits(20_000, 20_000, 256 * 1024);
    }

    private final int historyLines;
    private final ArrayDeque<String> history;
    private final Set<ConsoleSubscription> subscribers = new CopyOnWriteArraySet<>();
    private final Supplier<Limits> limitsSource;
    private final OutputFlood flood = new OutputFlood(new TokenBucket());
    private Limits limits;
    private long limitsAt;
    private boolean reporting;

    public ConsoleHub(int historyLines) {
        this(historyLines, () -> Limits.DEFAULTS);
    }

    public ConsoleHub(int historyLines, Supplier<Limits> limits) {
        this.historyLines = historyLines;
        this.history = new ArrayDeque<>(historyLines);
        this.limitsSource = limits;
        this.limits = limits.get();
        this.limitsAt = System.nanoTime();
    }

    /**
     * Registers a subscriber; it first receives the history as one {@code logs} event. It may fall
     * behind by queueCapacity lines holding at most queueBytes before it skips lines.
     */
    public synchronized ConsoleSubscription subscribe(ConsoleSubscription.Sink sink, int queueCapacity,
                                                     long queueBytes, Duration stallTimeout) {
        ConsoleSubscription sub = new ConsoleSubscription(this, sink, queueCapacity, queueBytes, stallTimeout);
        sub.offer(ConsoleEvent.logs(historyText(historyLines)));
        subscribers.add(sub);
        return sub;
    }

    void unsubscribe(ConsoleSubscription sub) {
        subscribers.remove(sub);
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** A console line (with its newline) from the process or the install script. */
    public synchronized void console(String line) {
        if (history.size() == historyLines) {
            history.removeFirst();
        }
        history.addLast(line);
        long now = System.nanoTime();
        Limits l = limits(now);
        if (!flood.admit(now, l.outputLinesPerSecond(), l.outputBurstLines())) {
            if (!reporting) {
                reporting = true;
                Thread.ofVirtual().name("console-flood-report").start(this::reportFlood);
            }
            return;
        }
        broadcast(ConsoleEvent.console(line));
    }

    private Limits limits(long now) {
        if (now - limitsAt > LIMITS_REFRESH_NANOS) {
            limits = limitsSource.get();
            limitsAt = now;
        }
        return limits;
    }

    /** Runs while a flood episode lasts: tells the subscribers how many lines were dropped. */
    private void reportFlood() {
        while (true) {
            try {
                Thread.sleep(REPORT_CHECK_MS);
            } catch (InterruptedException e) {
                synchronized (this) {
                    reporting = false;
                }
                return;
            }
            synchronized (this) {
                long dropped = flood.due(System.nanoTime());
                if (dropped > 0) {
                    log.info("event=console_output_throttled dropped={} lines_per_second={}", dropped,
                            limits.outputLinesPerSecond());
                    broadcast(ConsoleEvent.daemonMessage(floodMessage(dropped, limits.outputLinesPerSecond())));
                }
                if (!flood.inEpisode()) {
                    reporting = false;
                    return;
                }
            }
        }
    }

    public static String floodMessage(long dropped, int linesPerSecond) {
        return "Console output throttled: " + dropped + " line" + (dropped == 1 ? "" : "s")
                + " dropped (the server printed more than " + linesPerSecond + " lines a second)";
    }

    public synchronized void publish(ConsoleEvent event) {
        broadcast(event);
    }

    private void broadcast(ConsoleEvent event) {
        if (subscribers.isEmpty()) {
            return;
        }
        event.json(); // built once here, not raced for by every subscriber's writer
        for (ConsoleSubscription sub : subscribers) {
            sub.offer(event);
        }
    }

    /**
     * The last {@code lines} console lines, oldest first, as one text of at most the history's byte
     * limit in UTF-8 (older lines are left out first; a single newest line longer than that keeps its end).
     */
    public synchronized String historyText(int lines) {
        long budget = limits(System.nanoTime()).historyMaxBytes();
        ArrayDeque<String> picked = new ArrayDeque<>();
        long bytes = 0;
        Iterator<String> newestFirst = history.descendingIterator();
        for (int n = 0; n < lines && newestFirst.hasNext(); n++) {
            String line = newestFirst.next();
            long size = utf8Length(line);
            if (bytes + size > budget) {
                if (picked.isEmpty()) {
                    picked.addFirst(tail(line, (int) budget));
                }
                break;
            }
            bytes += size;
            picked.addFirst(line);
        }
        StringBuilder sb = new StringBuilder((int) Math.min(bytes, Integer.MAX_VALUE));
        picked.forEach(sb::append);
        return sb.toString();
    }

    public synchronized List<String> historyLines(int lines) {
        var all = new ArrayList<>(history);
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The end of a line within maxBytes of UTF-8 (whole characters). */
    private static String tail(String line, int maxBytes) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        int from = b.length - maxBytes;
        while (from < b.length && (b[from] & 0xC0) == 0x80) {
            from++; // not in the middle of a character
        }
        return new String(b, from, b.length - from, StandardCharsets.UTF_8);
    }

    /** Ends every subscription, e.g. when the container is deleted. */
    public void closeAll(String reason) {
        for (ConsoleSubscription sub : subscribers) {
            sub.close(reason);
        }
    }
}
