package dev.lightd.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.concurrent.TimeUnit;

/** Request counts and latencies per face, method, route template and status, for /metrics. */
public final class HttpMetrics {

    private final PrometheusMeterRegistry registry;
    private final String face;

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
        Timer.builder("lightd.http.requests")
                .description("HTTP requests served")
                .tag("face", face)
                .tag("method", ctx.method().name())
                .tag("route", route == null || route.isEmpty() ? "unmatched" : route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }
}
