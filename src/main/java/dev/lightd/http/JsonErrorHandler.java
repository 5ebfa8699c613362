package dev.lightd.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Jetty answers requests it cannot parse (a path climbing above the root, a bad header) before
 * Javalin sees them; this makes those answers JSON in the face's own format instead of HTML.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private final Function<String, String> body;

    /** @param body turns a reason into the face's JSON error body */
    public JsonErrorHandler(Function<String, String> body) {
        this.body = body;
        setShowStacks(false);
        setShowServlet(false);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString()));
        String text = "Bad request: " + (reason == null ? "malformed request" : reason);
        return ByteBuffer.wrap(body.apply(text).getBytes(StandardCharsets.UTF_8));
    }
}
