package dev.lightd.http;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request logger of a face: its metrics, and at DEBUG one line per request (logger
 * {@code http.<face>}) with the query's credentials redacted ({@link LogSafe}); headers, and so
 * API keys and bearer tokens, are never logged.
 */
public final class RequestLog {

    private final Logger log;
    private final HttpMetrics metrics;

    public RequestLog(String face, HttpMetrics metrics) {
        this.log = LoggerFactory.getLogger("http." + face);
        this.metrics = metrics;
    }

    public void record(Context ctx, float ms) {
        metrics.record(ctx, ms);
        if (log.isDebugEnabled()) {
            log.debug("event=request method={} path={} status={} ms={}", ctx.method(), LogSafe.target(ctx),
                    ctx.statusCode(), ms);
        }
    }
}
