package dev.lightd.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of the daemon, in a package every layer may import (store, services, http). */
public final class Json {

    /** Anything after the JSON value is refused: `{"a":1} trailing` is not a body we understood. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}
}
