package dev.lightd.http.lightd;

import dev.lightd.ServiceException;
import dev.lightd.EngineRefusals;
import dev.lightd.http.StatusCodes;
import dev.lightd.runtime.ContainerNameTakenException;
import dev.lightd.runtime.EngineUnavailableException;
import dev.lightd.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import dev.lightd.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;

/** Every failure of the Lightd face as {"error": "..."}, never a stack trace or an HTML page. */
final class LightdErrors {

    private static final Logger log = LoggerFactory.getLogger(LightdErrors.class);

    private LightdErrors() {}

    static void register(Javalin app) {
        app.exception(ServiceException.class, (e, ctx) -> {
            if (e.kind() == ServiceException.Kind.INTERNAL) {
                log.error("event=request_failed method={} path={} error=\"{}\"", ctx.method(), ctx.path(),
                        e.getMessage(), e.getCause());
            }
            answer(ctx, StatusCodes.of(e.kind()), e.getMessage());
        });
        app.exception(ContainerNameTakenException.class, (e, ctx) ->
                answer(ctx, StatusCodes.of(ServiceException.Kind.CONFLICT), EngineRefusals.nameTaken(e)));
        app.exception(StoreException.class, (e, ctx) -> {
            log.error("event=store_failed method={} path={} error=\"{}\"", ctx.method(), ctx.path(), e.getMessage());
            answer(ctx, 500, "Database operation failed");
        });
        app.exception(EngineUnavailableException.class, (e, ctx) -> {
            log.warn("event=engine_unavailable method={} path={}", ctx.method(), ctx.path());
            answer(ctx, 503, "Docker engine unavailable");
        });
        app.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(), builtInMessage(e, ctx)));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("event=request_crashed method={} path={}", ctx.method(), ctx.path(), e);
            answer(ctx, 500, "Internal server error");
        });
        app.error(404, ctx -> {
            if (ctx.resultInputStream() == null) {
                answer(ctx, 404, "Route not found: " + ctx.method() + " " + ctx.path());
            }
        });
        app.error(405, ctx -> answer(ctx, 405, "Method " + ctx.method() + " not allowed on " + ctx.path()));
    }

    /** Javalin's own refusals: an unmatched route, a body over the limit. */
    private static String builtInMessage(HttpResponseException e, Context ctx) {
        if (e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
            return "Request body too large";
        }
        if (e.getStatus() == HttpStatus.NOT_FOUND.getCode()) {
            return "Route not found: " + ctx.method() + " " + ctx.path();
        }
        return e.getMessage();
    }

    static String body(String message) {
        try {
            return Json.MAPPER.writeValueAsString(Map.of("error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void answer(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", message));
    }
}
