package dev.lightd.http.lightd;

import dev.lightd.http.StatusCodes;
import java.time.Duration;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lightd.ServiceException;
import dev.lightd.console.ConsoleEvent;
import dev.lightd.console.ConsoleSubscription;
import dev.lightd.container.ContainerService;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.StatusCode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.lightd.json.Json;
import dev.lightd.config.LiveConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The live console at /ws/:internal_id. Every client is a subscriber of the container's one console
 * hub; it sends commands and power actions in any of the shapes real panels use.
 */
final class ConsoleSocket {

    /** Events are shared objects: a full queue is 64k references, not 64k copies. */
    static final int QUEUE_CAPACITY = 65_536;

    private final ContainerService containers;
    private final LiveConfig config;
    private final Map<String, ConsoleSubscription> subscriptions = new ConcurrentHashMap<>();

    private ConsoleSocket(ContainerService containers, LiveConfig config) {
        this.containers = containers;
        this.config = config;
    }

    static void register(Javalin app, ContainerService containers, LightdAuth auth, LiveConfig config) {
        ConsoleSocket socket = new ConsoleSocket(containers, config);
        app.wsBeforeUpgrade("/ws/{id}", ctx -> {
            try {
                auth.checkToken(ctx);
                containers.console(ctx.pathParam("id"));
            } catch (ServiceException e) {
                refuseUpgrade(ctx, e);
            }
        });
        app.ws("/ws/{id}", ws -> {
            ws.onConnect(socket::connect);
            ws.onMessage(ctx -> socket.message(ctx, ctx.message()));
            ws.onClose(ctx -> socket.disconnect(ctx));
            ws.onError(ctx -> socket.disconnect(ctx));
        });
    }

    /**
     * A refused upgrade gets the same JSON as any route (the seed's 401/403/404 texts). Javalin does
     * not write a result for an upgrade request, so the body goes straight to the response, which is
     * then committed: the exception that follows only stops the upgrade.
     */
    private static void refuseUpgrade(Context ctx, ServiceException e) throws IOException {
        var res = ctx.res();
        byte[] body = LightdErrors.body(e.getMessage()).getBytes(StandardCharsets.UTF_8);
        res.setStatus(StatusCodes.of(e.kind()));
        res.setContentType("application/json");
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
        res.flushBuffer();
        throw e;
    }

    private void connect(WsContext ctx) {
        ctx.session.setIdleTimeout(Duration.ofHours(24));
        String id = ctx.pathParam("id");
        // a client stuck this long in one send is dropped; one that never reads its close frame is cut off as long after
        Duration stall = Duration.ofMillis(config.get().monitoring().consoleStallTimeoutMs());
        ConsoleSubscription sub = containers.console(id).subscribe(new ConsoleSubscription.Sink() {
            @Override
            public void send(ConsoleEvent event) {
                ctx.send(event.json());
            }

            @Override
            public void close(String reason) {
                if (ctx.session.isOpen()) {
                    // the close frame queues behind what the client has not read yet; cut it off if it never does
                    ctx.closeSession(StatusCode.POLICY_VIOLATION, reason);
                    Thread.ofVirtual().start(() -> {
                        try {
                            Thread.sleep(stall);
                        } catch (InterruptedException e) {
                            return;
                        }
                        if (ctx.session.isOpen()) {
                            ctx.session.disconnect();
                        }
                    });
                }
            }
        }, QUEUE_CAPACITY, stall);
        subscriptions.put(ctx.sessionId(), sub);
    }

    private void disconnect(WsContext ctx) {
        ConsoleSubscription sub = subscriptions.remove(ctx.sessionId());
        if (sub != null) {
            sub.close("client closed");
        }
    }

    private void message(WsContext ctx, String text) {
        ConsoleSubscription sub = subscriptions.get(ctx.sessionId());
        if (sub == null) {
            return;
        }
        String id = ctx.pathParam("id");
        try {
            ClientFrame frame = ClientFrame.parse(text);
            switch (frame.kind()) {
                case COMMAND -> containers.sendCommand(id, frame.argument());
                case POWER -> containers.power(id, frame.argument());
                case LOGS -> sub.reply(ConsoleEvent.logs(containers.console(id).historyText(frame.lines())));
            }
        } catch (ServiceException e) {
            sub.reply(ConsoleEvent.error(e.getMessage()));
        }
    }

    /**
     * A client frame in every shape real clients send, so that each works unmodified: the seed's
     * {"event":"send_command","data":"say hi"} and {"event":"power","data":"start"}, the same with
     * "command" or "action" in place of "data", the array form {"send_command":["say hi"]},
     * {"power":["start"]} and {"logs":["50"]}, and {"event":"request_logs"} (or "logs") for history.
     */
    record ClientFrame(Kind kind, String argument, int lines) {
        enum Kind { COMMAND, POWER, LOGS }

        static final int DEFAULT_LINES = 100;

        static ClientFrame parse(String text) {
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(text);
            } catch (Exception e) {
                throw ServiceException.badRequest("Invalid frame: not JSON");
            }
            if (node == null || !node.isObject()) {
                throw ServiceException.badRequest("Invalid frame: expected a JSON object");
            }
            if (node.has("event")) {
                String event = node.path("event").asText();
                return switch (event) {
                    case "send_command" -> new ClientFrame(Kind.COMMAND, argument(node, "command"), 0);
                    case "power" -> new ClientFrame(Kind.POWER, argument(node, "action"), 0);
                    case "request_logs", "logs" -> new ClientFrame(Kind.LOGS, null, lines(node.path("data")));
                    default -> throw ServiceException.badRequest("Unknown event '" + event
                            + "': expected send_command, power or request_logs");
                };
            }
            if (node.has("send_command")) {
                return new ClientFrame(Kind.COMMAND, first(node.get("send_command")), 0);
            }
            if (node.has("power")) {
                return new ClientFrame(Kind.POWER, first(node.get("power")), 0);
            }
            if (node.has("logs")) {
                return new ClientFrame(Kind.LOGS, null, lines(node.get("logs").path(0)));
            }
            throw ServiceException.badRequest("Invalid frame: expected an \"event\" field");
        }

        private static String argument(JsonNode node, String alternative) {
            JsonNode value = node.has("data") ? node.get("data") : node.get(alternative);
            if (value == null || !value.isTextual()) {
                throw ServiceException.badRequest("Invalid frame: \"data\" must be a string");
            }
            return value.textValue();
        }

        private static String first(JsonNode value) {
            JsonNode v = value.isArray() ? value.path(0) : value;
            if (!v.isTextual()) {
                throw ServiceException.badRequest("Invalid frame: expected a string argument");
            }
            return v.textValue();
        }

        private static int lines(JsonNode value) {
            if (value.isMissingNode() || value.isNull()) {
                return DEFAULT_LINES;
            }
            String text = value.asText();
            if (!text.matches("[0-9]{1,5}")) {
                throw ServiceException.badRequest("Invalid frame: line count must be a number");
            }
            return Math.max(1, Integer.parseInt(text));
        }
    }
}
