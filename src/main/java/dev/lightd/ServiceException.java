package dev.lightd;

/**
 * A refusal by a service, with the kind of problem and a message meant for the client.
 * Each HTTP face maps the kind to its own status code and error format.
 */
public class ServiceException extends RuntimeException {

    public enum Kind { BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, UNAVAILABLE, INTERNAL,
        /** A disk quota or the node's reserved free space would be passed: 507. */
        INSUFFICIENT_STORAGE }

    private final Kind kind;

    public ServiceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ServiceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static ServiceException badRequest(String message) {
        return new ServiceException(Kind.BAD_REQUEST, message);
    }

    public static ServiceException notFound(String message) {
        return new ServiceException(Kind.NOT_FOUND, message);
    }

    public static ServiceException conflict(String message) {
        return new ServiceException(Kind.CONFLICT, message);
    }

    public static ServiceException forbidden(String message) {
        return new ServiceException(Kind.FORBIDDEN, message);
    }

    public static ServiceException insufficientStorage(String message) {
        return new ServiceException(Kind.INSUFFICIENT_STORAGE, message);
    }

    public static ServiceException internal(String message, Throwable cause) {
        return new ServiceException(Kind.INTERNAL, message, cause);
    }
}
