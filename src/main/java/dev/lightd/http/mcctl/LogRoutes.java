package dev.lightd.http.mcctl;

import dev.lightd.ServiceException;
import dev.lightd.console.ConsoleEvent;
import dev.lightd.console.ConsoleSubscription;
import dev.lightd.minecraft.MinecraftService;
import io.javalin.Javalin;
import dev.lightd.config.LightdConfig;
import dev.lightd.config.LiveConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.LinkedHashMap;

/** GET /api/servers/:name/logs: a JSON tail, or with follow=true a Server-Sent Events stream. */
final class LogRoutes {

    static final int MAX_LINES = 1000;

    private LogRoutes() {}

    static void register(Javalin app, MinecraftService servers, LiveConfig config) {
        app.get("/api/servers/{name}/logs", ctx -> {
            int lines = lines(ctx.queryParam("lines"));
            String name = ctx.pathParam("name");
            if ("true".equals(ctx.queryParam("follow"))) {
                stream(ctx, servers, name, lines, config.get());
                return;
            }
            List<String> tail = servers.tail(name, lines);
            StringBuilder text = new StringBuilder();
            tail.forEach(text::append);
            Map<String, Object> out = new LinkedHashMap<>();
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
     * The last lines, then each new line, a heartbeat comment, and {"event":"closed"} when the
     * server stops.
     */
    private static void stream(Context ctx, MinecraftService servers, String name, int lines, LightdConfig config)
            throws IOException, InterruptedException {
        Duration heartbeat = Duration.ofSeconds(config.mcctl().heartbeatSeconds());
        var hub = servers.console(name);
        List<String> recent = servers.tail(name, lines);
        SseStream sse = new SseStream(ctx);
        for (String line : recent) {
            sse.buffer(Map.of("log", strip(line)));
        }
        sse.flush();
        if (!servers.isRunning(name)) {
            sse.data(Map.of("event", "closed")); // as `docker logs -f` of a stopped container ends at once
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        ConsoleSubscription sub = hub.subscribe(new ConsoleSubscription.Sink() {
            @Override
            public void send(ConsoleEvent event) throws IOException {
                if (event.type() == ConsoleEvent.Type.CONSOLE) {
                    sse.buffer(Map.of("log", strip(event.data())));
                } else if (event.type() == ConsoleEvent.Type.EVENT && "exit".equals(event.data())) {
                    sse.buffer(Map.of("event", "closed"));
                    done.countDown();
                }
                // history and stats are not part of this stream
            }

            @Override
            public void flush() throws IOException {
                sse.flush();
            }

            @Override
            public void close(String reason) {
                done.countDown();
            }
            // bounded as a console WebSocket is: a slow reader skips lines, one that stopped reading is dropped
        }, config.console().clientQueueEvents(), config.console().clientQueueBytes(),
                Duration.ofMillis(config.monitoring().consoleStallTimeoutMs()));
        Thread beat = Thread.ofVirtual().start(() -> {
            try {
                while (done.getCount() > 0) {
                    Thread.sleep(heartbeat);
                    sse.heartbeat();
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
}
