package dev.lightd.http.mcctl;

import dev.lightd.ServiceException;
import dev.lightd.EngineRefusals;
import dev.lightd.http.StatusCodes;
import dev.lightd.runtime.ContainerNameTakenException;
import dev.lightd.runtime.EngineUnavailableException;
import dev.lightd.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import dev.lightd.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;

/** Every failure of the mcctl face as {"error": "<Type>", "message": "..."} with the seed's status codes. */
final class McctlErrors {

    private static final Logger log = LoggerFactory.getLogger(McctlErrors.class);

    private McctlErrors() {}

    static void register(Javalin app) {
        app.exception(ServiceException.class, (e, ctx) -> {
            if (e.kind() == ServiceException.Kind.INTERNAL) {
                log.error("event=mcctl_request_failed path={} error=\"{}\"", ctx.path(), e.getMessage(), e.getCause());
            }
            int status = e.kind() == ServiceException.Kind.UNAVAILABLE ? 500 : StatusCodes.of(e.kind());
            answer(ctx, status, type(e.kind()), e.getMessage());
        });
        app.exception(ContainerNameTakenException.class, (e, ctx) ->
                answer(ctx, StatusCodes.of(ServiceException.Kind.CONFLICT), type(ServiceException.Kind.CONFLICT),
                        EngineRefusals.nameTaken(e)));
        // The seed's error types have fixed codes; an engine outage is a server-side error there.
        app.exception(EngineUnavailableException.class, (e, ctx) ->
                answer(ctx, 500, "InternalServerError", "Docker engine unavailable"));
        app.exception(StoreException.class, (e, ctx) -> {
            log.error("event=store_failed path={} error=\"{}\"", ctx.path(), e.getMessage());
            answer(ctx, 500, "InternalServerError", "Database operation failed");
        });
        app.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 404 || e.getStatus() == 405) {
                routeNotFound(ctx);
            } else if (e.getStatus() == 413) {
                // the seed's types have fixed codes: an oversized body is invalid input, a 400
                answer(ctx, 400, "ValidationError", "Request body too large");
            } else if (e.getStatus() >= 500) {
                answer(ctx, e.getStatus(), "InternalServerError", e.getMessage());
            } else {
                answer(ctx, 400, "ValidationError", e.getMessage());
            }
        });
        app.exception(Exception.class, (e, ctx) -> {
            log.error("event=mcctl_request_crashed path={}", ctx.path(), e);
            answer(ctx, 500, "InternalServerError", "Internal server error");
        });
        app.error(404, ctx -> {
            if (ctx.resultInputStream() == null) {
                routeNotFound(ctx);
            }
        });
        app.error(405, ctx -> routeNotFound(ctx));
    }

    static String type(ServiceException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> "ValidationError";
            case UNAUTHORIZED -> "AuthenticationError";
            case FORBIDDEN -> "ForbiddenError";
            case NOT_FOUND -> "NotFound";
            case CONFLICT -> "Conflict";
            case UNAVAILABLE, INTERNAL -> "InternalServerError";
            case INSUFFICIENT_STORAGE -> "InsufficientStorage";
        };
    }

    /** Unknown routes and methods a route lacks alike, as the reference (Express) answers. */
    private static void routeNotFound(Context ctx) {
        answer(ctx, 404, "NotFound", "Route " + ctx.method() + " " + ctx.path() + " not found");
    }

    static void answer(Context ctx, int status, String type, String message) {
        ctx.status(status).json(body(type, message));
    }

    static Map<String, Object> body(String type, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", type);
        out.put("message", message);
        return out;
    }

    static String bodyText(String message) {
        return bodyText(400, message);
    }

    /** A refusal Jetty answers itself, typed like the seed's: 404 NotFound, 5xx InternalServerError, else ValidationError. */
    static String bodyText(int status, String message) {
        String type = switch (status) {
            case 401 -> "AuthenticationError";
            case 403 -> "ForbiddenError";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            default -> status >= 500 ? "InternalServerError" : "ValidationError";
        };
        try {
            return Json.MAPPER.writeValueAsString(body(type, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
