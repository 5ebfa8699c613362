package dev.lightd.http;

import dev.lightd.ServiceException;

/** The HTTP status of each kind of refusal, the same on both faces (only the body format differs). */
public final class StatusCodes {

    private StatusCodes() {}

    public static int of(ServiceException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
            case INSUFFICIENT_STORAGE -> 507;
        };
    }
}
