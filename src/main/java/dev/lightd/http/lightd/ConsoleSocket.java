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
import org.eclipse.jetty.websocket.api.BatchMode;
import org.eclipse.jetty.websocket.api.RemoteEndpoint;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.WriteCallback;
import java.io.IOException;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import dev.lightd.audit.AuditEvent;
import dev.lightd.audit.AuditLog;
import dev.lightd.auth.Caller;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Set;
import dev.lightd.auth.TokenService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import dev.lightd.console.ConsoleHub;
import dev.lightd.console.TokenBucket;
import dev.lightd.json.Json;
import dev.lightd.config.LiveConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The live console at /ws/:internal_id. Every client is a subscriber of the container's one console
 * hub; it sends commands and power actions in any of the shapes real panels use.
 *
 * <p>Bounds ({@code console.*}): at most max_clients_per_container sockets per container (the next
 * upgrade gets 429 in the JSON error form); an inbound frame or message over max_frame_bytes closes
 * the socket with 1009; inbound messages beyond messages_per_second (bucket of message_burst) are
 * dropped, the client told with a {@code throttled} frame at most once a second.
 *
 * <p>Revoking a token (or changing the master token) closes every socket it opened with 4401.
 */
final class ConsoleSocket {

    static final long THROTTLED_NOTICE_NANOS = 1_000_000_000L;

    private static final Logger log = LoggerFactory.getLogger(ConsoleSocket.class);

    /** The close code and reason of a socket whose token was revoked or whose master token changed. */
    static final int REVOKED_CODE = 4401;
    static final String REVOKED_REASON = "token revoked";

    /** One open socket: the caller whose token opened it, its subscription and its inbound rate limit. */
    private static final class Client {
        final WsContext ctx;
        final Caller caller;
        final ConsoleSubscription sub;
        final ConsoleHub hub;
        final AtomicBoolean revoked;
        final TokenBucket inbound = new TokenBucket();
        long lastThrottledNotice;
        long droppedSinceNotice;

        Client(WsContext ctx, Caller caller, ConsoleSubscription sub, ConsoleHub hub, AtomicBoolean revoked) {
            this.ctx = ctx;
            this.caller = caller;
            this.sub = sub;
            this.hub = hub;
            this.revoked = revoked;
        }
    }

    private final ContainerService containers;
    private final LiveConfig config;
    private final LightdAuth auth;
    private final TokenService tokens;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    /** Open sockets per console (one hub per container); an entry is removed when it reaches 0. */
    private final Map<ConsoleHub, AtomicInteger> perContainer = new ConcurrentHashMap<>();
    private final AuditLog audit;
    private static final Set<String> POWER_ACTIONS = Set.of("start", "stop", "restart", "kill");

    private ConsoleSocket(ContainerService containers, LiveConfig config, LightdAuth auth, TokenService tokens,
                          AuditLog audit) {
        this.audit = audit;
        this.containers = containers;
        this.config = config;
        this.auth = auth;
        this.tokens = tokens;
    }

    static ConsoleSocket register(Javalin app, ContainerService containers, LightdAuth auth, LiveConfig config,
                                  TokenService tokens, AuditLog audit) {
        ConsoleSocket socket = new ConsoleSocket(containers, config, auth, tokens, audit);
        tokens.onRevoke(socket::closeOpenedBy);
        config.onReload((old, fresh) -> {
            if (!Objects.equals(old.authorization().token(), fresh.authorization().token())) {
                socket.closeOpenedByMaster();
            }
        });
        app.wsBeforeUpgrade(Access.CONSOLE_PATH, ctx -> {
            String id = ctx.pathParam("id");
            Caller caller;
            ConsoleHub hub;
            try {
                caller = auth.checkToken(ctx);
                auth.authorize(caller, Access.rule(Access.WS, Access.CONSOLE_PATH).orElseThrow(), id);
                hub = containers.console(id);
            } catch (ServiceException e) {
                throw refuseUpgrade(ctx, StatusCodes.of(e.kind()), e);
            }
            // checked before the token is used up: a single-use token refused for the cap can try again
            int max = config.get().console().maxClientsPerContainer();
            if (socket.open(hub) >= max) {
                throw refuseUpgrade(ctx, 429, ServiceException.conflict(tooMany(max)));
            }
            try {
                auth.redeem(caller);
            } catch (ServiceException e) {
                throw refuseUpgrade(ctx, StatusCodes.of(e.kind()), e);
            }
            ctx.attribute(LightdAuth.CALLER, caller);
        });
        app.ws(Access.CONSOLE_PATH, ws -> {
            ws.onConnect(socket::connect);
            ws.onMessage(ctx -> socket.message(ctx, ctx.message()));
            ws.onClose(ctx -> socket.disconnect(ctx));
            ws.onError(ctx -> socket.disconnect(ctx));
        });
        return socket;
    }

    /**
     * A refused upgrade gets the same JSON as any route (the seed's 401/403/404 texts). Javalin does
     * not write a result for an upgrade request, so the body goes straight to the response, which is
     * then committed: the exception returned, thrown by the caller, only stops the upgrade.
     */
    private static ServiceException refuseUpgrade(Context ctx, int status, ServiceException e) throws IOException {
        var res = ctx.res();
        byte[] body = LightdErrors.body(e.getMessage()).getBytes(StandardCharsets.UTF_8);
        res.setStatus(status);
        res.setContentType("application/json");
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
        res.flushBuffer();
        return e;
    }

    static String tooMany(int max) {
        return "Too many console connections to this container (at most " + max + ")";
    }

    private int open(ConsoleHub hub) {
        AtomicInteger n = perContainer.get(hub);
        return n == null ? 0 : n.get();
    }

    /** Counts a socket in; false (and not counted) when the container already has max. */
    private boolean admit(ConsoleHub hub, int max) {
        boolean[] admitted = {false};
        perContainer.compute(hub, (h, n) -> {
            AtomicInteger count = n == null ? new AtomicInteger() : n;
            if (count.get() < max) {
                count.incrementAndGet();
                admitted[0] = true;
            }
            return count.get() == 0 ? null : count;
        });
        return admitted[0];
    }

    private void release(ConsoleHub hub) {
        perContainer.computeIfPresent(hub, (h, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Open console sockets of all containers (the gauge lightd_console_sockets). */
    double openSockets() {
        return clients.size();
    }

    private void connect(WsContext ctx) {
        ctx.session.setIdleTimeout(Duration.ofHours(24));
        var limits = config.get().console();
        ctx.session.setMaxTextMessageSize(limits.maxFrameBytes());
        ctx.session.setMaxBinaryMessageSize(limits.maxFrameBytes());
        ctx.session.setMaxFrameSize(limits.maxFrameBytes());
        String id = ctx.pathParam("id");
        Caller caller = ctx.attribute(LightdAuth.CALLER);
        if (caller == null) {
            ctx.closeSession(StatusCode.SERVER_ERROR, "no caller");
            return;
        }
        ConsoleHub hub = containers.console(id);
        if (!admit(hub, limits.maxClientsPerContainer())) {
            // two upgrades raced past the check before the upgrade: the later one is closed at once
            ctx.closeSession(StatusCode.POLICY_VIOLATION, tooMany(limits.maxClientsPerContainer()));
            return;
        }
        // a client stuck this long in one send is dropped; one that never reads its close frame is cut off as long after
        Duration stall = Duration.ofMillis(config.get().monitoring().consoleStallTimeoutMs());
        AtomicBoolean revoked = new AtomicBoolean();
        RemoteEndpoint remote = ctx.session.getRemote();
        remote.setBatchMode(BatchMode.ON); // frames are written at each flush, many lines in one write
        ConsoleSubscription sub = hub.subscribe(new ConsoleSubscription.Sink() {
            @Override
            public void send(ConsoleEvent event) {
                remote.sendString(event.json(), WriteCallback.NOOP); // a failure shows in the flush
            }

            @Override
            public void flush() throws IOException {
                remote.flush();
            }

            @Override
            public void close(String reason) {
                if (revoked.get()) {
                    closeSession(ctx, REVOKED_CODE, REVOKED_REASON);
                } else {
                    closeSession(ctx, StatusCode.POLICY_VIOLATION, reason);
                }
            }
        }, limits.clientQueueEvents(), limits.clientQueueBytes(), stall);
        clients.put(ctx.sessionId(), new Client(ctx, caller, sub, hub, revoked));
        log.info("event=console_connected container={} token={}", id, caller.isMaster() ? "master" : caller.tokenId());
        if (!caller.isMaster() && !tokens.exists(caller.tokenId())) {
            closeOpenedBy(caller.tokenId()); // revoked between the upgrade's check and now
        }
    }

    /**
     * Closes the socket; the close frame queues behind what the client has not read yet, so a client
     * that never reads it is cut off after the stall timeout.
     */
    private void closeSession(WsContext ctx, int code, String reason) {
        if (!ctx.session.isOpen()) {
            return;
        }
        Duration stall = Duration.ofMillis(config.get().monitoring().consoleStallTimeoutMs());
        ctx.closeSession(code, reason);
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

    /** A revoked token: every socket it opened is closed with 4401 "token revoked" and stops receiving at once. */
    private void closeOpenedBy(String tokenId) {
        closeWhere(c -> !c.caller.isMaster() && tokenId.equals(c.caller.tokenId()));
    }

    /** The master token changed: the sockets the old one opened are closed like a revoked token's. */
    private void closeOpenedByMaster() {
        closeWhere(c -> c.caller.isMaster());
    }

    private void closeWhere(Predicate<Client> which) {
        int closed = 0;
        for (Client c : clients.values()) {
            if (which.test(c) && clients.remove(c.ctx.sessionId(), c)) {
                // whoever takes a client out of clients gives its place under the cap back (here or in disconnect)
                release(c.hub);
                // whichever close runs first (this one, or the subscription's from its own thread) says 4401
                c.revoked.set(true);
                closeSession(c.ctx, REVOKED_CODE, REVOKED_REASON);
                c.sub.close(REVOKED_REASON);
                closed++;
            }
        }
        if (closed > 0) {
            log.info("event=console_revoked sockets={}", closed);
        }
    }

    private void disconnect(WsContext ctx) {
        Client client = clients.remove(ctx.sessionId());
        if (client != null) {
            release(client.hub);
            client.sub.close("client closed");
        }
    }

    private void message(WsContext ctx, String text) {
        Client client = clients.get(ctx.sessionId());
        if (client == null) {
            return;
        }
        ConsoleSubscription sub = client.sub;
        if (!withinRate(client)) {
            return;
        }
        String id = ctx.pathParam("id");
        ClientFrame frame = null;
        try {
            frame = ClientFrame.parse(text);
            switch (frame.kind()) {
                case COMMAND -> containers.sendCommand(id, frame.argument());
                case POWER -> {
                    auth.authorize(client.caller, Access.rule(Access.WS_POWER, Access.CONSOLE_PATH).orElseThrow(), id);
                    containers.power(id, frame.argument());
                }
                case LOGS -> sub.reply(ConsoleEvent.logs(containers.console(id).historyText(frame.lines())));
            }
            audit(client, id, frame, null);
        } catch (ServiceException e) {
            audit(client, id, frame, e.getMessage());
            sub.reply(ConsoleEvent.error(e.getMessage()));
        }
    }

    /** Whether this inbound message may be acted on; a dropped one is answered with throttled at most once a second. */
    private boolean withinRate(Client client) {
        var limits = config.get().console();
        synchronized (client) {
            if (client.inbound.tryTake(limits.messagesPerSecond(), limits.messageBurst())) {
                return true;
            }
            client.droppedSinceNotice++;
            long now = System.nanoTime();
            if (client.lastThrottledNotice == 0 || now - client.lastThrottledNotice >= THROTTLED_NOTICE_NANOS) {
                client.lastThrottledNotice = now | 1;
                long n = client.droppedSinceNotice;
                client.droppedSinceNotice = 0;
                client.sub.reply(ConsoleEvent.throttled("Too many messages: at most " + limits.messagesPerSecond()
                        + " a second (bursts of " + limits.messageBurst() + "); " + n + " dropped"));
            }
            return false;
        }
    }

    /** Commands and power actions sent on the socket are audited like the routes (reading history is not). */
    private void audit(Client client, String id, ClientFrame frame, String error) {
        if (frame == null || frame.kind() == ClientFrame.Kind.LOGS) {
            return;
        }
        boolean power = frame.kind() == ClientFrame.Kind.POWER;
        String argument = frame.argument() == null ? "" : frame.argument();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("via", "websocket");
        details.put(power ? "action" : "command", argument.length() > 200 ? argument.substring(0, 200) + "…" : argument);
        String action = power ? "container." + (POWER_ACTIONS.contains(argument) ? argument : "power") : "container.command";
        audit.record(new AuditEvent(Instant.now(), action, LightdAudit.actor(client.caller), "container", id, details,
                error == null, error));
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
