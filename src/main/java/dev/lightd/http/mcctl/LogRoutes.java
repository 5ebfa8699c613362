package dev.lightd.http.mcctl;

import dev.lightd.ServiceException;
import dev.lightd.container.ConsoleEvent;
import dev.lightd.container.ConsoleSubscription;
import dev.lightd.http.JsonBody;
import dev.lightd.minecraft.MinecraftService;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntSupplier;

/** GET /api/servers/:name/logs: a JSON tail, or with follow=true a Server-Sent Events stream. */
final class LogRoutes {

    static final int MAX_LINES = 1000;

    private LogRoutes() {}

    static void register(Javalin app, MinecraftService servers, IntSupplier heartbeatSeconds) {
        app.get("/api/servers/{name}/logs", ctx -> {
            int lines = lines(ctx.queryParam("lines"));
            String name = ctx.pathParam("name");
            if ("true".equals(ctx.queryParam("follow"))) {
                stream(ctx, servers, name, lines, Duration.ofSeconds(heartbeatSeconds.getAsInt()));
                return;
            }
            List<String> tail = servers.tail(name, lines);
            StringBuilder text = new StringBuilder();
            tail.forEach(text::append);
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("logs", text.toString());
            out.put("lines", lines);
            ctx.json(out);
        }, McctlAccess.READ);
    }

    private static int lines(String text) {
        if (text == null || text.isBlank()) {
            return 100;
        }
        if (!text.matches("[0-9]{1,6}") || Integer.parseInt(text) < 1) {
            throw ServiceException.badRequest("Invalid lines: expected a positive integer");
        }
        return Math.min(MAX_LINES, Integer.parseInt(text));
    }

    /**
     * Unnamed SSE events (no "event:" line; EventSource's onmessage and mcctl-console read them):
     * the last lines, then each new line, a heartbeat comment, and {"event":"closed"} at the end.
     */
    private static void stream(Context ctx, MinecraftService servers, String name, int lines, Duration heartbeat)
            throws IOException, InterruptedException {
        var hub = servers.console(name);
        List<String> recent = servers.tail(name, lines);
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        CountDownLatch done = new CountDownLatch(1);
        Object writeLock = new Object();
        synchronized (writeLock) {
            for (String line : recent) {
                write(out, frame(Map.of("log", strip(line))));
            }
            out.flush();
        }
        ConsoleSubscription sub = hub.subscribe(new ConsoleSubscription.Sink() {
            @Override
            public void send(ConsoleEvent event) throws IOException {
                synchronized (writeLock) {
                    if (event.type() == ConsoleEvent.Type.CONSOLE) {
                        write(out, frame(Map.of("log", strip(event.data()))));
                    } else if (event.type() == ConsoleEvent.Type.EVENT && "exit".equals(event.data())) {
                        write(out, frame(Map.of("event", "closed")));
                        out.flush();
                        done.countDown();
                        return;
                    } else {
                        return; // history and stats are not part of this stream
                    }
                    out.flush();
                }
            }

            @Override
            public void close(String reason) {
                done.countDown();
            }
        }, 65_536, Duration.ofSeconds(30));
        Thread beat = Thread.ofVirtual().start(() -> {
            try {
                while (done.getCount() > 0) {
                    Thread.sleep(heartbeat);
                    synchronized (writeLock) {
                        write(out, ": heartbeat\n\n");
                        out.flush();
                    }
                }
            } catch (InterruptedException | IOException e) {
                done.countDown(); // client gone
            }
        });
        try {
            done.await();
        } finally {
            beat.interrupt();
            sub.close("stream ended");
        }
    }

    private static String strip(String line) {
        return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    }

    private static String frame(Map<String, String> data) {
        try {
            return "data: " + JsonBody.MAPPER.writeValueAsString(data) + "\n\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
