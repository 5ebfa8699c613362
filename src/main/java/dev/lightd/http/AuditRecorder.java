package dev.lightd.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lightd.audit.AuditEvent;
import dev.lightd.audit.AuditLog;
import dev.lightd.json.Json;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Records the actions of one face in the audit log, from one after-handler: every POST, PUT, PATCH
 * and DELETE that matched a route (and the reads a rule names, such as a file download) whose caller
 * was identified. The face's table says what each route does (action, target type, where the
 * target's name is); a route missing from it is recorded all the same, as {@code "POST /route/{x}"}
 * with the target the face's fallback finds, so a new route is audited without anyone doing a thing.
 *
 * <p>The details are the route's path parameters, its query parameters except credentials, the body
 * fields the rule names (no other body field, so passwords, tokens, file contents and scripts never
 * get there), every value cut to {@link #MAX_VALUE_CHARS}. Recording never fails a request: any
 * problem is logged and the answer is left as it was.
 */
public final class AuditRecorder {

    private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);

    static final int MAX_VALUE_CHARS = 200;
    static final int MAX_QUERY_PARAMS = 8;
    static final int MAX_BODY_FIELDS = 40;
    /** Request bodies read for details: JSON with a declared length up to this. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(pass|secret|token|key|auth|cred|cookie).*");

    /** What the request and its answer showed, for finding a target name. */
    public record Seen(Map<String, String> params, JsonNode body, JsonNode response) {
        public String param(String name) {
            return params.get(name);
        }

        public String bodyText(String field) {
            JsonNode n = body == null ? null : body.get(field);
            return n == null || !n.isValueNode() ? null : n.asText();
        }

        public String responseText(String field) {
            JsonNode n = response == null ? null : response.get(field);
            return n == null || !n.isValueNode() ? null : n.asText();
        }
    }

    @FunctionalInterface
    public interface Target {
        String of(Seen seen);
    }

    /** A target type and name for a route the table does not know. */
    public record Found(String type, String name) {}

    /**
     * Which fields of a JSON body go into the details: the named ones, or (SETTINGS) every plain
     * value; never a field whose name is a credential's (pass, secret, token, key, auth, cred, cookie).
     */
    public record Body(Set<String> fields, boolean settings) {
        public static final Body NONE = new Body(Set.of(), false);
        public static final Body SETTINGS = new Body(Set.of(), true);

        public static Body of(String... fields) {
            return new Body(Set.of(fields), false);
        }
    }

    /** What one route does. Method GET makes a read audited too. */
    public record Rule(String method, String path, String action, String targetType, Target target, Body body,
                       Map<String, Object> fixed) {
        public Rule(String method, String path, String action, String targetType, Target target, Body body) {
            this(method, path, action, targetType, target, body, Map.of());
        }
    }

    public static Target param(String name) {
        return seen -> seen.param(name);
    }

    public static Target bodyField(String field) {
        return seen -> seen.bodyText(field);
    }

    public static Target responseField(String field) {
        return seen -> seen.responseText(field);
    }

    public static Target fixed(String name) {
        return seen -> name;
    }

    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, Rule> rules = new HashMap<>();
    private final Function<Context, String> actor;
    private final Function<JsonNode, String> errorText;
    private final BiFunction<String, Seen, Found> fallback;

    /**
     * @param actor who made the request (null: nobody was identified, nothing is recorded)
     * @param errorText the error message in a failure answer of this face
     * @param fallback target type and name of a route missing from the table, from its route template and what the request showed
     */
    public AuditRecorder(AuditLog audit, Clock clock, List<Rule> table, Function<Context, String> actor,
                         Function<JsonNode, String> errorText, BiFunction<String, Seen, Found> fallback) {
        this.audit = audit;
        this.clock = clock;
        this.actor = actor;
        this.errorText = errorText;
        this.fallback = fallback;
        for (Rule r : table) {
            if (rules.put(r.method() + " " + r.path(), r) != null) {
                throw new IllegalStateException("two audit rules for " + r.method() + " " + r.path());
            }
        }
    }

    /** The after-handler. */
    public void after(Context ctx) {
        try {
            record(ctx);
        } catch (RuntimeException e) {
            log.warn("event=audit_record_failed method={} path={} error=\"{}\"", ctx.method(), ctx.path(), e.toString());
        }
    }

    private void record(Context ctx) {
        String template = template(ctx);
        if (template == null) {
            return; // no route matched: nothing was done
        }
        String method = ctx.method().name();
        Rule rule = rules.get(method + " " + template);
        if (rule == null && !MUTATING.contains(method)) {
            return;
        }
        String who = actor.apply(ctx);
        if (who == null) {
            return; // refused before anyone was identified (401): there is no actor to record
        }
        int status = ctx.statusCode();
        boolean success = status < 400;
        JsonNode body = requestBody(ctx, rule);
        JsonNode response = responseBody(ctx);
        Seen seen = new Seen(ctx.pathParamMap(), body, response);

        String action;
        String targetType;
        String targetName;
        if (rule != null) {
            action = rule.action();
            targetType = rule.targetType();
            targetName = rule.target().of(seen);
        } else {
            action = method + " " + template;
            Found found = fallback.apply(template, seen);
            targetType = found.type();
            targetName = found.name();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        seen.params().forEach((k, v) -> details.put(k, cut(v)));
        queryParams(ctx, details);
        if (rule != null) {
            bodyFields(body, rule.body(), details);
            details.putAll(rule.fixed());
        }
        details.put("httpStatus", status);
        String error = success ? null : errorMessage(response, status);
        audit.record(new AuditEvent(clock.instant(), action, who, targetType,
                targetName == null ? "" : cut(targetName), details, success, error));
    }

    private static String template(Context ctx) {
        try {
            // an unmatched request has a sentence here ("No handler matched ..."), not a route
            String path = ctx.endpointHandlerPath();
            return path == null || !path.startsWith("/") ? null : path;
        } catch (IllegalStateException unmatched) {
            return null;
        }
    }

    /** The JSON body of a route in the table, when it is small (never an upload streamed by its handler). */
    private static JsonNode requestBody(Context ctx, Rule rule) {
        if (rule == null) {
            return null;
        }
        String type = ctx.contentType();
        long length = ctx.contentLength();
        if (type == null || !type.toLowerCase(Locale.ROOT).contains("json") || length < 1 || length > MAX_BODY_BYTES) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(ctx.body());
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null; // the handler answered the malformed body itself
        }
    }

    /** The answer, when it is JSON the handler built in memory (never a streamed file). */
    private static JsonNode responseBody(Context ctx) {
        if (!(ctx.resultInputStream() instanceof ByteArrayInputStream stream) || stream.available() > MAX_BODY_BYTES) {
            return null;
        }
        String type = ctx.res().getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).contains("json")) {
            return null;
        }
        try {
            String text = ctx.result();
            return text == null ? null : Json.MAPPER.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private String errorMessage(JsonNode response, int status) {
        String text = response == null ? null : errorText.apply(response);
        return text == null || text.isBlank() ? "HTTP " + status : cut(text);
    }

    private static void queryParams(Context ctx, Map<String, Object> details) {
        int n = 0;
        for (var e : ctx.queryParamMap().entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (LogSafe.SECRET_PARAMS.contains(name) || SECRET_NAME.matcher(name).matches() || e.getValue().isEmpty()) {
                continue;
            }
            if (n++ == MAX_QUERY_PARAMS) {
                return;
            }
            details.putIfAbsent(cut(e.getKey()), cut(e.getValue().getFirst()));
        }
    }

    private static void bodyFields(JsonNode body, Body wanted, Map<String, Object> details) {
        if (body == null) {
            return;
        }
        int n = 0;
        for (var it = body.properties().iterator(); it.hasNext() && n < MAX_BODY_FIELDS; ) {
            var e = it.next();
            String name = e.getKey();
            // a credential's name is refused even where the table names it
            boolean take = (wanted.settings() || wanted.fields().contains(name)) && !SECRET_NAME.matcher(name).matches();
            Object value = take ? plain(e.getValue()) : null;
            if (value != null) {
                details.putIfAbsent(cut(name), value);
                n++;
            }
        }
    }

    /** A JSON value as a plain, bounded value: strings cut, arrays of plain values (at most 20), no objects. */
    private static Object plain(JsonNode v) {
        if (v.isTextual()) {
            return cut(v.asText());
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isArray()) {
            List<Object> out = new ArrayList<>();
            for (JsonNode item : v) {
                if (out.size() == 20) {
                    break;
                }
                Object p = item.isContainerNode() ? null : plain(item);
                if (p != null) {
                    out.add(p);
                }
            }
            return out;
        }
        return null;
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS) + "…";
    }
}
