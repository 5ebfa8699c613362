package dev.lightd.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lightd.config.LiveConfig;
import dev.lightd.store.OutboxStore;
import dev.lightd.store.OutboxStore.OutboxRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import dev.lightd.json.Json;
import java.io.IOException;
import java.util.List;

/**
 * Delivers state changes to the panel ({@code POST {remote.url}/update}). Each change is written to
 * the outbox first, then sent one at a time in order; a failure is retried with backoff, so nothing
 * is lost while the panel is down or the daemon restarts.
 */
public final class PanelSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PanelSync.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final LiveConfig config;
    private final OutboxStore outbox;
    private final Clock clock;
    // Made on the first delivery: building an HttpClient sets up the whole TLS stack (about 400
    // classes and a selector thread), which a daemon without a panel never needs.
    private HttpClient http;
    private final Semaphore wake = new Semaphore(0);
    private final Thread worker;
    private volatile boolean closed;

    public PanelSync(LiveConfig config, OutboxStore outbox, Clock clock) {
        this.config = config;
        this.outbox = outbox;
        this.clock = clock;
        this.worker = Thread.ofVirtual().name("panel-sync").start(this::deliverLoop);
    }

    /** Records one state change of a container for the panel; a no-op while remote is disabled. */
    public void publish(String internalId, String event, Object data) {
        if (!config.get().remote().enabled()) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("internal_id", internalId);
        payload.put("event", event);
        payload.put("data", data);
        payload.put("timestamp", clock.instant().toString());
        try {
            outbox.append(Json.MAPPER.writeValueAsString(payload), clock.instant().getEpochSecond());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        wake.release();
    }

    private HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        return http;
    }

    private void deliverLoop() {
        Duration backoff = Duration.ofMillis(250);
        while (!closed) {
            try {
                var remote = config.get().remote();
                var head = remote.enabled() ? outbox.head(1) : List.<OutboxRow>of();
                if (head.isEmpty()) {
                    wake.tryAcquire(5, TimeUnit.SECONDS);
                    wake.drainPermits();
                    continue;
                }
                OutboxRow row = head.getFirst();
                if (send(remote.url(), remote.token(), row.payload())) {
                    outbox.delivered(row.seq());
                    backoff = Duration.ofMillis(250);
                } else {
                    outbox.failedAttempt(row.seq());
                    wake.tryAcquire(backoff.toMillis(), TimeUnit.MILLISECONDS);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("event=panel_sync_error error=\"{}\"", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private boolean send(String url, String token, String payload) throws InterruptedException {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            HttpResponse<Void> res = client().send(HttpRequest.newBuilder(URI.create(base + "/update"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() / 100 == 2) {
                return true;
            }
            log.warn("event=panel_update_refused status={}", res.statusCode());
        } catch (IOException | IllegalArgumentException e) {
            log.debug("event=panel_unreachable url={} error=\"{}\"", base, e.getMessage());
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
