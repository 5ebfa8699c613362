package dev.lightd.store;

/** The store could not do what was asked; faces answer it as a 500 "Database operation failed". */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
