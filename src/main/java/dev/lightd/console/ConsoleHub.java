package dev.lightd.console;

import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The console of one container: a ring buffer of recent lines, and a fan-out of every event to
 * every subscriber through that subscriber's own bounded queue. Publishing never blocks: a
 * subscriber whose queue is full is dropped, so a slow client cannot slow the others or the server.
 */
public final class ConsoleHub {

    private final int historyLines;
    private final ArrayDeque<String> history;
    private final Set<ConsoleSubscription> subscribers = new CopyOnWriteArraySet<>();

    public ConsoleHub(int historyLines) {
        this.historyLines = historyLines;
        this.history = new ArrayDeque<>(historyLines);
    }

    /** Registers a subscriber; it first receives the history as one {@code logs} event. */
    public synchronized ConsoleSubscription subscribe(ConsoleSubscription.Sink sink, int queueCapacity,
                                                     Duration stallTimeout) {
        ConsoleSubscription sub = new ConsoleSubscription(this, sink, queueCapacity, stallTimeout);
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
        broadcast(ConsoleEvent.console(line));
    }

    public synchronized void publish(ConsoleEvent event) {
        broadcast(event);
    }

    private void broadcast(ConsoleEvent event) {
        for (ConsoleSubscription sub : subscribers) {
            sub.offer(event);
        }
    }

    /** The last {@code lines} console lines, oldest first, as one text. */
    public synchronized String historyText(int lines) {
        StringBuilder sb = new StringBuilder();
        int skip = Math.max(0, history.size() - lines);
        for (String line : history) {
            if (skip-- > 0) {
                continue;
            }
            sb.append(line);
        }
        return sb.toString();
    }

    public synchronized List<String> historyLines(int lines) {
        var all = new ArrayList<>(history);
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }

    /** Ends every subscription, e.g. when the container is deleted. */
    public void closeAll(String reason) {
        for (ConsoleSubscription sub : subscribers) {
            sub.close(reason);
        }
    }
}
