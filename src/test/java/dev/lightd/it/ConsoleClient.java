package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.awaitility.Awaitility;


/** A real WebSocket client (java.net.http) of a container's console; it records every frame. */
final class ConsoleClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonNode> frames = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    ConsoleClient(DaemonProcess daemon, String internalId, String token) {
        this(daemon.port(), internalId, token);
    }

    ConsoleClient(DaemonExtension daemon, String internalId, String token) {
        this(daemon.port(), internalId, token);
    }

    private ConsoleClient(int port, String internalId, String token) {
        socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/" + internalId + "?token=" + token),
                        new Listener()).join();
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(ApiClient.json(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error " + error);
        }
    }

    List<JsonNode> frames() {
        synchronized (frames) {
            return new ArrayList<>(frames);
        }
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Waits for a frame matching the predicate and returns it. */
    JsonNode await(String what, Predicate<JsonNode> match) {
        return Awaitility.await().alias(what).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> frames().stream().filter(match).findFirst().orElse(null), f -> f != null);
    }

    static Predicate<JsonNode> event(String event, String data) {
        return f -> event.equals(f.path("event").asText()) && (data == null || data.equals(f.path("data").asText()));
    }

    static Predicate<JsonNode> consoleContains(String text) {
        return f -> "console".equals(f.path("event").asText()) && f.path("data").asText().contains(text);
    }

    /** The state ("event") frames seen so far, in order. */
    List<String> states() {
        return frames().stream().filter(f -> "event".equals(f.path("event").asText()))
                .map(f -> f.path("data").asText()).toList();
    }

    void clear() {
        frames.clear();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
