package dev.lightd.http;

import io.javalin.http.Context;

import java.util.Locale;
import java.util.Set;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A request's target as logs may show it: the path and the query string with every credential
 * parameter's value replaced by {@code ***} (the Lightd face's {@code ?token=} for browser
 * WebSockets, the mcctl face's {@code ?api_key=} for SSE).
 */
public final class LogSafe {

    static final Set<String> SECRET_PARAMS = Set.of("token", "api_key", "apikey", "access_token", "key", "password");

    private LogSafe() {}

    public static String target(Context ctx) {
        return target(ctx.path(), ctx.queryString());
    }

    public static String target(String path, String query) {
        if (query == null || query.isEmpty()) {
            return path;
        }
        StringBuilder out = new StringBuilder(path).append('?');
        String[] parts = query.split("&", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('&');
            }
            String part = parts[i];
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (SECRET_PARAMS.contains(decodedName(name))) {
                out.append(name).append("=***");
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }

    /** Names are compared decoded and in lower case, so {@code %74oken=} or {@code TOKEN=} are caught too. */
    private static String decodedName(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return name.toLowerCase(Locale.ROOT);
        }
    }
}
