package dev.lightd.http.mcctl;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import dev.lightd.json.Json;

/**
 * A Server-Sent Events response written by the handler's own (virtual) thread: unnamed events only
 * ("data:" lines, no "event:"), as EventSource's onmessage and mcctl-console read them. Writes are
 * serialised, so a heartbeat thread may share the stream.
 */
final class SseStream {

    private final OutputStream out;

    SseStream(Context ctx) throws IOException {
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        this.out = ctx.res().getOutputStream();
    }

    /** One event whose data is the JSON of the value; flushed at once. */
    synchronized void data(Object value) throws IOException {
        buffer(value);
        flush();
    }

    /** As {@link #data}, left in the response's buffer until the next {@link #flush}: many events, one write. */
    synchronized void buffer(Object value) throws IOException {
        out.write(("data: " + Json.MAPPER.writeValueAsString(value) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    synchronized void heartbeat() throws IOException {
        out.write(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));
        flush();
    }

    synchronized void flush() throws IOException {
        out.flush();
    }
}
