package dev.lightd.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Request counts and latencies per face, method, route template and status, for /metrics. */
public final class HttpMetrics {

    /** One timer per route template, method and status: a few dozen, bounded by the routes. */
    private record Key(String method, String route, int status) {}

    private final PrometheusMeterRegistry registry;
    private final String face;
    /** Found once per key: building a meter id per request (tags sorted, then looked up) was most of this class's cost. */
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    public HttpMetrics(PrometheusMeterRegistry registry, String face) {
        this.registry = registry;
        this.face = face;
    }

    private static String routeOf(Context ctx) {
        try {
            return ctx.endpointHandlerPath();
        } catch (IllegalStateException unmatched) {
            return "unmatched";
        }
    }

    public void record(Context ctx, float millis) {
        String route = routeOf(ctx);
        Key key = new Key(ctx.method().name(), route == null || route.isEmpty() ? "unmatched" : route, ctx.statusCode());
        timers.computeIfAbsent(key, this::timer).record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    private Timer timer(Key key) {
        return Timer.builder("lightd.http.requests")
                .description("HTTP requests served")
                .tag("face", face)
                .tag("method", key.method())
                .tag("route", key.route())
                .tag("status", Integer.toString(key.status()))
                .register(registry);
    }
}
