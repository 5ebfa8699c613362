package dev.lightd.console;

import java.util.Locale;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.LinkedHashMap;
import java.util.Map;
import dev.lightd.json.Json;

/**
 * One thing a console subscriber is told: a console line, a state event, a daemon message, the
 * history, or a stats sample. The JSON frame is built once, on first use, and shared by every
 * subscriber: fan-out does no per-client work.
 */
public final class ConsoleEvent {

    public enum Type { CONSOLE, EVENT, DAEMON_MESSAGE, LOGS, STATS, ERROR, THROTTLED }

    private final Type type;
    private final String data;
    private final Map<String, Object> fields;
    private volatile String json;

    private ConsoleEvent(Type type, String data, Map<String, Object> fields) {
        this.type = type;
        this.data = data;
        this.fields = fields;
    }

    public static ConsoleEvent console(String line) {
        return new ConsoleEvent(Type.CONSOLE, line, null);
    }

    public static ConsoleEvent state(String state) {
        return new ConsoleEvent(Type.EVENT, state, null);
    }

    public static ConsoleEvent daemonMessage(String message) {
        return new ConsoleEvent(Type.DAEMON_MESSAGE, message, null);
    }

    public static ConsoleEvent logs(String history) {
        return new ConsoleEvent(Type.LOGS, history, null);
    }

    /** An answer to one client's bad frame; it stays connected. */
    public static ConsoleEvent error(String message) {
        return new ConsoleEvent(Type.ERROR, message, null);
    }

    /** An answer to one client's message dropped by the inbound rate limit. */
    public static ConsoleEvent throttled(String message) {
        return new ConsoleEvent(Type.THROTTLED, message, null);
    }

    /** Stats fields go beside "event", as the seed shows them. */
    public static ConsoleEvent stats(Map<String, Object> fields) {
        return new ConsoleEvent(Type.STATS, null, fields);
    }

    public Type type() {
        return type;
    }

    public String data() {
        return data;
    }

    /** About what the event holds in memory while it waits in a queue: its text, its frame, the objects around them. */
    public long size() {
        return 128 + 2L * (data == null ? 0 : data.length());
    }

    public String json() {
        String j = json;
        if (j == null) {
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("event", type.name().toLowerCase(Locale.ROOT));
            if (fields != null) {
                frame.putAll(fields);
            } else {
                frame.put("data", data);
            }
            try {
                j = Json.MAPPER.writeValueAsString(frame);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            json = j;
        }
        return j;
    }
}
