package dev.lightd.config;

/** A config.json that cannot be used; the message names the key and the problem. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
