package dev.lightd.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/**
 * Jetty answers requests it cannot parse (a path climbing above the root, a bad header) before
 * Javalin sees them, and answers some others itself through {@code sendError} (an asterisk request
 * line such as {@code GET * HTTP/1.1}, a WebSocket upgrade with a version it does not speak or to
 * a path with no socket); this makes all of those answers JSON in the face's own format instead of
 * HTML, with no Java type in the text, and logs each once as {@code event=bad_request}.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);

    private final String face;
    private final BiFunction<Integer, String, String> body;

    /** @param body turns a status and a reason into the face's JSON error body */
    public JsonErrorHandler(String face, BiFunction<Integer, String, String> body) {
        this.face = face;
        this.body = body;
        setShowStacks(false);
        setShowServlet(false);
        setShowMessageInTitle(false);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString()));
        String text = "Bad request: " + (reason == null || reason.equalsIgnoreCase(HttpStatus.getMessage(status))
                || reason.contains("Exception") ? "malformed request" : reason);
        log.warn("event=bad_request face={} status={} reason=\"{}\"", face, status, text.replace('"', '\''));
        return ByteBuffer.wrap(body.apply(status, text).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        String text = text(code, message);
        log.warn("event=bad_request face={} status={} method={} path=\"{}\" reason=\"{}\"", face, code,
                request.getMethod(), String.valueOf(request.getRequestURI()).replace('"', '\''),
                String.valueOf(message).replace('"', '\''));
        byte[] bytes = body.apply(code, text).getBytes(StandardCharsets.UTF_8);
        baseRequest.setHandled(true);
        response.setContentType(MimeTypes.Type.APPLICATION_JSON.asString());
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Jetty's own reason only where it is plain words; a 400 always reads the same. */
    static String text(int code, String message) {
        if (code == 400) {
            return "Bad request: malformed request";
        }
        if (message == null || message.isBlank() || message.matches("(?s).*\\b[a-z]+\\.[a-z]+\\.[A-Za-z.]+.*")
                || message.contains("Exception") || message.contains("<")) {
            String standard = HttpStatus.getMessage(code);
            return standard == null ? "Request refused" : standard;
        }
        return message;
    }
}
