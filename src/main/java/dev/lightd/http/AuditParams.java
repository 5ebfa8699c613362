package dev.lightd.http;

import dev.lightd.ServiceException;
import dev.lightd.audit.AuditLog;
import dev.lightd.audit.AuditQuery;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The audit log's query parameters as both faces take them (mcctl-console's names: limit, offset,
 * sort, action, actor, targetType, targetName, status, from, to); bad values are a 400 naming the
 * parameter. Dates are ISO 8601 instants ({@code 2026-01-30T10:00:00Z}, with an offset or not) or
 * plain days ({@code 2026-01-30}: from its start, or to its end).
 */
public final class AuditParams {

    private AuditParams() {}

    /** @param param a query parameter by name (null when absent) */
    public static AuditQuery parse(Function<String, String> param) {
        int limit = (int) number(param.apply("limit"), "limit", AuditLog.DEFAULT_LIMIT, 1, AuditLog.MAX_LIMIT);
        long offset = number(param.apply("offset"), "offset", 0, 0, Long.MAX_VALUE / 2);
        String sort = blankToNull(param.apply("sort"));
        if (sort != null && !sort.equals("timestamp:asc") && !sort.equals("timestamp:desc")) {
            throw ServiceException.badRequest("Invalid sort: expected timestamp:asc or timestamp:desc");
        }
        String actions = blankToNull(param.apply("action"));
        List<String> actionList = actions == null ? List.of()
                : Arrays.stream(actions.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        String status = blankToNull(param.apply("status"));
        if (status != null && !status.equals("success") && !status.equals("failure")) {
            throw ServiceException.badRequest("Invalid status: expected success or failure");
        }
        Instant from = date(param.apply("from"), "from", false);
        Instant to = date(param.apply("to"), "to", true);
        return new AuditQuery(actionList, blankToNull(param.apply("actor")), blankToNull(param.apply("targetType")),
                blankToNull(param.apply("targetName")), status, from, to, limit, offset, "timestamp:asc".equals(sort));
    }

    /** An instant, or a day (its first or, with endOfDay, its last millisecond, UTC). */
    public static Instant date(String text, String name, boolean endOfDay) {
        text = blankToNull(text);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                LocalDate day = LocalDate.parse(text);
                return endOfDay ? day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1)
                        : day.atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADay) {
                throw ServiceException.badRequest("Invalid " + name + ": expected an ISO 8601 date-time such as"
                        + " 2026-01-30T10:00:00Z");
            }
        }
    }

    private static long number(String text, String name, long fallback, long min, long max) {
        text = blankToNull(text);
        if (text == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ServiceException.badRequest("Invalid " + name + ": expected an integer from " + min
                + (max >= Long.MAX_VALUE / 2 ? " on" : " to " + max));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
