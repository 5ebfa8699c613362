package dev.lightd.auth;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a minted token may do: one scope per route family of the Lightd face. Which route needs
 * which scope is written in one table, {@code http.lightd.Access#RULES}.
 */
public enum Scope {
    CONSOLE("console"),
    POWER("power"),
    CONTAINERS("containers"),
    VOLUMES("volumes"),
    FILES_READ("files:read"),
    FILES_WRITE("files:write"),
    PORTS("ports"),
    METRICS("metrics");

    private final String wire;

    Scope(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<Scope> of(String name) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(name)).findFirst();
    }

    /** "console, power, ..." for error texts. */
    public static String names() {
        return Arrays.stream(values()).map(Scope::wire).collect(Collectors.joining(", "));
    }
}
