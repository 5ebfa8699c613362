package dev.lightd.auth;

import dev.lightd.ServiceException;

import java.time.Duration;
import java.util.regex.Pattern;

/** Parses token lifetimes written as {@code <n><s|m|h|d>}: 30s, 15m, 1h, 7d. */
public final class TokenTtl {

    private static final Pattern FORMAT = Pattern.compile("([1-9][0-9]{0,8})([smhd])");
    static final Duration MAX = Duration.ofDays(365);

    private TokenTtl() {}

    public static Duration parse(String text) {
        var m = text == null ? null : FORMAT.matcher(text);
        if (m == null || !m.matches()) {
            throw ServiceException.badRequest(
                    "Invalid ttl: expected a number followed by s, m, h or d (e.g. 30s, 15m, 1h, 7d)");
        }
        long n = Long.parseLong(m.group(1));
        Duration ttl = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (ttl.compareTo(MAX) > 0) {
            throw ServiceException.badRequest("Invalid ttl: at most 365d");
        }
        return ttl;
    }
}
