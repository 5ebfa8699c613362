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
        ctx.contentType(ContentType.APPLICATION_JSON)
                .result(json(value, v -> ctx.jsonMapper().toJsonString(v, v.getClass())));
    }

    /** The bytes of {@code value}: the last ones when it equals the last value, else {@code serialise}'s. */
    byte[] json(Object value, Function<Object, String> serialise) {
        Last l = last;
        if (l != null && l.value().equals(value)) {
            return l.json();
        }
        byte[] json = serialise.apply(value).getBytes(StandardCharsets.UTF_8);
        last = new Last(value, json);
        return json;
    }
}
