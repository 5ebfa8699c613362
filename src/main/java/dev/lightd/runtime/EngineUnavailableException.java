package dev.lightd.runtime;

/** The engine does not answer (socket missing, connection refused, daemon stopped). */
public class EngineUnavailableException extends RuntimeException {
    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
