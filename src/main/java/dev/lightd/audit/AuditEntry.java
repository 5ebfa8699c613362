package dev.lightd.audit;

import java.time.Instant;
import java.util.Map;

/** A recorded event as the faces show it; status is "success" or "failure". */
public record AuditEntry(long id, Instant at, String action, String actor, String targetType, String targetName,
                         Map<String, Object> details, String status, String errorMessage) {}
