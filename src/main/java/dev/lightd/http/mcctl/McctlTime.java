package dev.lightd.http.mcctl;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** ISO-8601 with milliseconds, as the seed writes "2025-01-30T10:30:00.000Z". */
final class McctlTime {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private McctlTime() {}

    static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }

    static String now() {
        return format(Instant.now());
    }
}
