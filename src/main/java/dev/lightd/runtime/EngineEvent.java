package dev.lightd.runtime;

import java.time.Instant;
import java.util.Locale;

/**
 * A container event from the engine: action is start, die, kill, pause, health_status: ...; exitCode
 * is set on die, signal on kill; time is by the engine's clock (null when it did not say).
 */
public record EngineEvent(String containerId, String name, String action, Integer exitCode, String signal,
                          Instant time) {

    /**
     * Whether a "kill" event's signal asks the process to end (KILL, TERM, INT, QUIT, by number or
     * name); an unnamed one counts. HUP, USR1 and the like do not.
     */
    public boolean endingSignal() {
        if (signal == null || signal.isBlank()) {
            return true;
        }
        String s = signal.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
        return switch (s) {
            case "9", "KILL", "15", "TERM", "2", "INT", "3", "QUIT" -> true;
            default -> false;
        };
    }
}
