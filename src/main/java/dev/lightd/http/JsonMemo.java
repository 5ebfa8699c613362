package dev.lightd.http;

import io.javalin.http.ContentType;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The JSON of a list route's last answer, kept with the value it was made from. Asked again with an
 * equal value (nothing in it changed), the route writes the bytes it made last time instead of
 * serialising hundreds of entries on every request. The bytes are a function of the value, so there
 * is nothing to invalidate: a change anywhere in the value makes it unequal and it is serialised
 * again. Values must not change once given (records, {@code List.copyOf}, maps built for the call).
 */
public final class JsonMemo {

    private record Last(Object value, byte[] json) {}

    private volatile Last last;

    /** Answers {@code value} as {@link Context#json} would, with the face's own mapper. */
    public void answer(Context ctx, Object value) {
        answer(ctx, value, v -> v);
    }

    /**
     * Answers {@code body(source)} as {@link Context#json} would; {@code body} runs only when
     * {@code source} differs from the last one. For a source cheaper to build and compare than the
     * body (records of the state shown, instead of a map per entry); {@code body} must depend on
     * {@code source} alone.
     */
    public <T> void answer(Context ctx, T source, Function<T, Object> body) {
        ctx.contentType(ContentType.APPLICATION_JSON).result(json(source, s -> {
            Object value = body.apply(s);
            return ctx.jsonMapper().toJsonString(value, value.getClass());
        }));
    }

    /** The bytes made from {@code source}: the last ones when it equals the last source, else {@code serialise}'s. */
    <T> byte[] json(T source, Function<T, String> serialise) {
        Last l = last;
        if (l != null && l.value().equals(source)) {
            return l.json();
        }
        byte[] json = serialise.apply(source).getBytes(StandardCharsets.UTF_8);
        last = new Last(source, json);
        return json;
    }
}
