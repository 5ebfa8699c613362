package dev.lightd.audit;

import java.time.Instant;
import java.util.Map;

/**
 * Something that was done (or tried): when, by whom, what, to which target, and how it ended. The
 * details are a small map of plain values; whoever builds an event keeps secrets out of it.
 */
public record AuditEvent(Instant at, String action, String actor, String targetType, String targetName,
                         Map<String, Object> details, boolean success, String errorMessage) {

    public AuditEvent {
        details = details == null ? Map.of() : details;
    }
}
