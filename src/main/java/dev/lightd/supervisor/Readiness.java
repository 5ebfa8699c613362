package dev.lightd.supervisor;

import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * When a started server counts as running (in the manner of testcontainers' WaitStrategy): at
 * once, at the first console line matching a pattern, or once a probe (RCON answering) succeeds.
 */
public sealed interface Readiness {

    record Immediate() implements Readiness {}

    record ConsoleLine(Pattern pattern) implements Readiness {}

    /** Tried every {@link SupervisorPolicy#probeEvery()} while the server starts. */
    record Probe(BooleanSupplier ready) implements Readiness {}

    static Readiness immediate() {
        return new Immediate();
    }

    /** A console pattern, or at once when there is none. */
    static Readiness consoleLine(Pattern pattern) {
        return pattern == null ? immediate() : new ConsoleLine(pattern);
    }

    static Readiness probe(BooleanSupplier ready) {
        return new Probe(ready);
    }
}
