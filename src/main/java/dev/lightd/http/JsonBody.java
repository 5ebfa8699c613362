package dev.lightd.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.lightd.ServiceException;
import dev.lightd.json.Json;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A request's JSON object, read field by field with a clear 400 for anything missing or of the
 * wrong type. Handlers use it instead of binding straight to records so the error says which field.
 */
public final class JsonBody {

    private static final Logger log = LoggerFactory.getLogger(JsonBody.class);

    private final JsonNode node;
    private final String where;

    private JsonBody(JsonNode node, String where) {
        this.node = node;
        this.where = where;
    }

    public static JsonBody parse(String text) {
        if (text == null || text.isBlank()) {
            throw ServiceException.badRequest("Request body must be a JSON object");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String reason = "Invalid JSON body: " + reason(e);
            log.info("event=bad_json reason=\"{}\"", reason.replace('"', '\''));
            throw ServiceException.badRequest(reason);
        }
        return object(node, "");
    }

    /**
     * What was wrong, in words a client can act on and with no Java type in them: Jackson's own
     * texts for the parser limits and for trailing data name its classes and features, and the
     * limit exceptions carry no location (that was a NullPointerException, a 500, before).
     */
    static String reason(JsonProcessingException e) {
        StreamReadConstraints limits = StreamReadConstraints.defaults();
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            if (original.startsWith("Document nesting depth")) {
                return "nested more than " + limits.getMaxNestingDepth() + " deep";
            }
            if (original.startsWith("Number value length") || original.startsWith("Number length")) {
                return "a number longer than " + limits.getMaxNumberLength() + " digits";
            }
            if (original.startsWith("String value length") || original.startsWith("String length")) {
                return "a string longer than " + limits.getMaxStringLength() + " characters";
            }
            return "over the parser's size limits";
        }
        if (original.startsWith("Trailing token")) {
            return "more than one JSON value";
        }
        // no `com.example.Type` or `SomeFeature.NAME` from the parser in an answer
        String text = original.replaceAll("\\[Source: [^;]*; ", "[").replaceAll("`[^`]*`", "").replaceAll("\\s+", " ").replaceAll(" ([,.:;)])", "$1").trim();
        if (text.matches("(?s).*\\b[a-z]+\\.[a-z]+\\.[A-Za-z.]+.*") || text.contains("Feature")) {
            text = "malformed JSON";
        }
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 0 ? text
                : text + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** An absent or empty body counts as {} for routes whose fields are all optional. */
    public static JsonBody parseOptional(String text) {
        return text == null || text.isBlank() ? new JsonBody(Json.MAPPER.createObjectNode(), "") : parse(text);
    }

    private static JsonBody object(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw ServiceException.badRequest(
                    where.isEmpty() ? "Request body must be a JSON object" : "Field '" + where + "' must be an object");
        }
        return new JsonBody(node, where);
    }

    private String name(String field) {
        return where.isEmpty() ? field : where + "." + field;
    }

    private JsonNode field(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? MissingNode.getInstance() : value;
    }

    /** The object itself, for routes that take any subset of many keys (each checked by its service). */
    public JsonNode tree() {
        return node;
    }

    public boolean has(String field) {
        return !field(field).isMissingNode();
    }

    public String string(String field) {
        return optionalString(field).orElseThrow(() -> missing(field));
    }

    public Optional<String> optionalString(String field) {
        JsonNode value = field(field);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string");
        }
        return Optional.of(value.textValue());
    }

    public long integer(String field) {
        return optionalInteger(field).orElseThrow(() -> missing(field));
    }

    public Optional<Long> optionalInteger(String field) {
        JsonNode value = field(field);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(field, "an integer");
        }
        return Optional.of(value.longValue());
    }

    public Optional<Double> optionalNumber(String field) {
        JsonNode value = field(field);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        if (!value.isNumber()) {
            throw wrongType(field, "a number");
        }
        return Optional.of(value.doubleValue());
    }

    public boolean bool(String field) {
        return optionalBool(field).orElseThrow(() -> missing(field));
    }

    public Optional<Boolean> optionalBool(String field) {
        JsonNode value = field(field);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw wrongType(field, "true or false");
        }
        return Optional.of(value.booleanValue());
    }

    public Optional<JsonBody> optionalObject(String field) {
        JsonNode value = field(field);
        return value.isMissingNode() ? Optional.empty() : Optional.of(object(value, name(field)));
    }

    public <T> List<T> objects(String field, Function<JsonBody, T> reader) {
        return optionalObjects(field, reader).orElseThrow(() -> missing(field));
    }

    public <T> Optional<List<T>> optionalObjects(String field, Function<JsonBody, T> reader) {
        JsonNode value = field(field);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw wrongType(field, "an array");
        }
        List<T> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            out.add(reader.apply(object(value.get(i), name(field) + "[" + i + "]")));
        }
        return Optional.of(out);
    }

    /** An optional array of strings: anything else (a string, an array holding a number) is refused. */
    public Optional<List<String>> optionalStrings(String field) {
        JsonNode value = field(field);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw wrongType(field, "an array of strings");
        }
        List<String> out = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw wrongType(field, "an array of strings");
            }
            out.add(item.textValue());
        }
        return Optional.of(out);
    }

    private ServiceException missing(String field) {
        return ServiceException.badRequest("Missing required field '" + name(field) + "'");
    }

    private ServiceException wrongType(String field, String expected) {
        return ServiceException.badRequest("Field '" + name(field) + "' must be " + expected);
    }
}
