package dev.lightd.audit;

import java.time.Instant;
import java.util.List;

/**
 * A page of the audit log: the filters (null or empty: any; from and to inclusive), the page
 * (limit at most {@link AuditLog#MAX_LIMIT}) and the order (newest first unless ascending).
 */
public record AuditQuery(List<String> actions, String actor, String targetType, String targetName, String status,
                         Instant from, Instant to, int limit, long offset, boolean ascending) {

    public static final AuditQuery ALL = new AuditQuery(List.of(), null, null, null, null, null, null,
            AuditLog.MAX_LIMIT, 0, false);
}
