package dev.lightd.http.mcctl;

import dev.lightd.ServiceException;
import dev.lightd.minecraft.MinecraftService;
import dev.lightd.minecraft.MinecraftService.ServerView;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Status streams as mcctl-console reads them: frames
 * {"type":"server-status","data":{"serverName","status","health","timestamp"}}, sent when a server's
 * status or health changes (all at first), with heartbeat comments; without follow, one JSON answer.
 */
final class StatusRoutes {

    private static final Duration POLL = Duration.ofSeconds(1);

    private StatusRoutes() {}

    static void register(Javalin app, MinecraftService servers, IntSupplier heartbeatSeconds) {
        app.get("/api/servers/{name}/status", ctx -> {
            String name = ctx.pathParam("name");
            servers.get(name); // 404 for an unknown server
            respond(ctx, () -> List.of(servers.get(name)), heartbeatSeconds, false);
        }, McctlAccess.READ);
        app.get("/api/servers-status", ctx -> respond(ctx, servers::list, heartbeatSeconds, true),
                McctlAccess.READ);
    }

    private static void respond(Context ctx, Supplier<List<ServerView>> views, IntSupplier heartbeatSeconds, boolean many)
            throws IOException, InterruptedException {
        if (!"true".equals(ctx.queryParam("follow"))) {
            List<Map<String, Object>> frames = views.get().stream().map(StatusRoutes::frame).toList();
            if (many) {
                ctx.json(Map.of("servers", frames));
            } else {
                ctx.json(frames.getFirst());
            }
            return;
        }
        SseStream sse = new SseStream(ctx);
        Map<String, String> last = new HashMap<>();
        long heartbeatNanos = Duration.ofSeconds(heartbeatSeconds.getAsInt()).toNanos();
        long lastBeat = System.nanoTime();
        try {
            while (true) {
                for (ServerView v : views.get()) {
                    String state = v.status() + "/" + v.health();
                    if (!state.equals(last.put(v.name(), state))) {
                        sse.data(frame(v));
                    }
                }
                if (System.nanoTime() - lastBeat > heartbeatNanos) {
                    sse.heartbeat();
                    lastBeat = System.nanoTime();
                }
                Thread.sleep(POLL);
            }
        } catch (IOException | ServiceException clientGoneOrServerDeleted) {
            // the client closed the stream, or the server was deleted
        }
    }

    private static Map<String, Object> frame(ServerView v) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("serverName", v.name());
        data.put("status", v.status());
        data.put("health", v.health());
        data.put("timestamp", McctlTime.now());
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "server-status");
        frame.put("data", data);
        return frame;
    }
}
