package dev.lightd.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.function.Function;

/**
 * Requests refused before routing, each in the face's JSON form and logged once:
 * <ul>
 * <li>a path with a '%' not followed by two hex digits ({@code DELETE /api/worlds/%?force=true}):
 * 400, {@code event=bad_path}. Javalin decodes path parameters with URLDecoder, whose
 * IllegalArgumentException was a 500 on the mcctl face;</li>
 * <li>the same in the query string ({@code ?path=%zz}): 400, {@code event=bad_query}. The
 * parameter used to be dropped silently, so the route ran as if it had not been sent;</li>
 * <li>a WebSocket upgrade with a version other than 13 (RFC 6455): 426 with
 * {@code Sec-WebSocket-Version: 13}, {@code event=bad_upgrade}. Jetty's servlet answered it with
 * a 405 "HTTP method GET is not supported".</li>
 * <li>a {@code Content-Type} naming a charset the JVM does not know ({@code application/json;
 * charset=nonsense}): 400, {@code event=bad_charset}. Reading the body threw
 * UnsupportedCharsetException inside the route, a 500 on both faces.</li>
 * </ul>
 */
public final class MalformedRequests implements Filter {

    private static final Logger log = LoggerFactory.getLogger(MalformedRequests.class);
    static final String MESSAGE = "Bad request: invalid percent-escape in the path";
    static final String QUERY_MESSAGE = "Bad request: invalid percent-escape in the query";
    static final String WS_VERSION = "Unsupported WebSocket version: only 13 is spoken";
    static final String CHARSET_MESSAGE = "Bad request: unsupported charset in Content-Type";

    private final Function<String, String> body;

    private MalformedRequests(Function<String, String> body) {
        this.body = body;
    }

    /** @param body turns a reason into the face's JSON error body */
    public static void install(ServletContextHandler handler, Function<String, String> body) {
        handler.addFilter(new FilterHolder(new MalformedRequests(body)), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    /** True when every '%' in the raw (still encoded) path or query starts a two-hex-digit escape. */
    static boolean wellFormed(String rawPath) {
        if (rawPath == null) {
            return true;
        }
        for (int i = 0; i < rawPath.length(); i++) {
            if (rawPath.charAt(i) == '%') {
                if (i + 2 >= rawPath.length() || !hex(rawPath.charAt(i + 1)) || !hex(rawPath.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    /** True when the Content-Type names no charset, or one this JVM can decode. */
    static boolean knownCharset(String contentType) {
        if (contentType == null) {
            return true;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = p.substring(8).trim().replace("\"", "");
                try {
                    return Charset.isSupported(name);
                } catch (IllegalCharsetNameException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse out
                && !wellFormed(http.getRequestURI())) {
            log.warn("event=bad_path method={} path=\"{}\"", http.getMethod(),
                    http.getRequestURI().replace('"', '\''));
            answer(out, 400, MESSAGE);
            return;
        }
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse out
                && !wellFormed(http.getQueryString())) {
            log.warn("event=bad_query method={} path=\"{}\"", http.getMethod(),
                    http.getRequestURI().replace('"', '\''));
            answer(out, 400, QUERY_MESSAGE);
            return;
        }
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse out
                && "websocket".equalsIgnoreCase(http.getHeader("Upgrade"))
                && !"13".equals(String.valueOf(http.getHeader("Sec-WebSocket-Version")).trim())) {
            log.warn("event=bad_upgrade method={} path=\"{}\" version=\"{}\"", http.getMethod(),
                    http.getRequestURI().replace('"', '\''),
                    String.valueOf(http.getHeader("Sec-WebSocket-Version")).replace('"', '\''));
            out.setHeader("Sec-WebSocket-Version", "13");
            answer(out, 426, WS_VERSION);
            return;
        }
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse out
                && !knownCharset(http.getHeader("Content-Type"))) {
            log.warn("event=bad_charset method={} path=\"{}\" content_type=\"{}\"", http.getMethod(),
                    http.getRequestURI().replace('"', '\''), http.getHeader("Content-Type").replace('"', '\''));
            answer(out, 400, CHARSET_MESSAGE);
            return;
        }
        chain.doFilter(request, response);
    }

    private void answer(HttpServletResponse out, int status, String message) throws IOException {
        byte[] bytes = body.apply(message).getBytes(StandardCharsets.UTF_8);
        out.setStatus(status);
        out.setContentType("application/json");
        out.setContentLength(bytes.length);
        out.getOutputStream().write(bytes);
    }
}
