import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Adversarial requests for the fault drills (issue 13): COUNT requests spread over every route of
 * both faces and over mutation kinds (truncated and huge JSON, deep nesting, wrong types, NUL,
 * control characters, unicode and RTL in path segments, names and file paths, traversal variants,
 * huge headers, wrong methods and content types, bad auth, bad framing, slow bodies that stall).
 * Checks: no 5xx, every 4xx a JSON body in the face's error format ({"error":..} on the Lightd
 * face, {"error":..,"message":..} on the mcctl face; Jetty's own pre-routing answers are JSON too,
 * see JsonErrorHandler), bad auth refused, the daemon answers afterwards, RSS growth bounded,
 * slow bodies timed out, and no file named with the run's canary token outside the data folder.
 * It deletes only what it created (names start with zz-adv-, or ids that appeared during the run).
 * Deterministic for a given --seed (request i is built from seed and i alone).
 *
 * Usage: java Adversarial.java --lightd URL --mcctl URL --token TOKEN --key MCCTL_KEY --data DIR
 *        --pid PID --count N [--seed S]
 * Prints one JSON line; exit 0 only when there were no problems.
 */
public class Adversarial {

    // ---- arguments and shared state ------------------------------------------------------------

    static String lightd, mcctl, token, key, data;
    static long pid;
    static int count;
    static long seed = 1;
    static int only = -1;
    static final ThreadLocal<Integer> CURRENT = ThreadLocal.withInitial(() -> -1);
    static String canary;
    static HttpClient client;

    static final AtomicInteger requests = new AtomicInteger();
    static final AtomicInteger serverErrors = new AtomicInteger();
    static final AtomicInteger nonJsonErrors = new AtomicInteger();
    static final AtomicInteger authBypass = new AtomicInteger();
    static final AtomicInteger noAnswer = new AtomicInteger();
    static final AtomicInteger resets = new AtomicInteger();
    static final AtomicInteger versionRefusals = new AtomicInteger();
    static final AtomicInteger problemCount = new AtomicInteger();
    static final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    static final Map<String, AtomicInteger> statuses = Collections.synchronizedMap(new java.util.TreeMap<>());
    /** bin/lib/jvm.sh caps the heap at 768 MiB; the JVM's own memory (code, classes, threads) adds 200-300 MB. */
    static final long RSS_LIMIT_MB = 1100;
    static final int MAX_PROBLEMS = 20;

    /** Real ids found at start. */
    static String volumeId, containerId, serverName;
    static boolean createdVolume;
    static Set<String> volumesBefore = Set.of(), tokensBefore = Set.of(), portsBefore = Set.of();

    // ---- routes ---------------------------------------------------------------------------------

    /** Field kinds: s string, p file path, n mcctl name, i integer, b boolean, a string array, o limits object, P ports array. */
    record Field(String name, char kind, Object valid) {}

    /**
     * flags: PUB no auth needed; UNSAFE never with real ids and an otherwise valid request; CREATE
     * creates something when valid; STREAM may answer a stream; UPLOAD multipart; Q a ?path= query.
     */
    record Route(boolean mc, String method, String path, int flags, List<Field> fields, Map<String, String> query) {
        boolean has(int f) {
            return (flags & f) != 0;
        }
    }

    static final int PUB = 1, UNSAFE = 2, CREATE = 4, STREAM = 8, UPLOAD = 16, MASTER = 32;

    static final List<Route> ROUTES = new ArrayList<>();

    static void r(boolean mc, String method, String path, int flags, Map<String, String> query, Field... fields) {
        ROUTES.add(new Route(mc, method, path, flags, List.of(fields), query));
    }

    static Field f(String name, char kind, Object valid) {
        return new Field(name, kind, valid);
    }

    static Map<String, String> q(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static void routes() {
        Map<String, String> none = Map.of();
        String c = canary;
        // Lightd face
        r(false, "GET", "/api/v1/public/ping", PUB, none);
        r(false, "GET", "/metrics", 0, none);
        r(false, "GET", "/activity", MASTER, q("limit", "10", "offset", "0", "action", "volume.create", "since", "2020-01-01T00:00:00Z"));
        r(false, "GET", "/remote/config", MASTER, none);
        r(false, "POST", "/remote/config/reload", MASTER, none);
        r(false, "GET", "/auth/tokens", MASTER, none);
        r(false, "POST", "/auth/tokens", MASTER | CREATE, none, f("ttl", 's', "1h"), f("remove_on_use", 'b', false),
                f("scopes", 'a', List.of("volumes")), f("containers", 'a', List.of()), f("volumes", 'a', List.of()));
        r(false, "DELETE", "/auth/tokens/{tok}", MASTER | UNSAFE, none);
        r(false, "GET", "/volumes", 0, none);
        r(false, "POST", "/volumes", CREATE, none, f("disk_limit", 'i', 0));
        r(false, "GET", "/volumes/{vol}", 0, none);
        r(false, "DELETE", "/volumes/{vol}", UNSAFE, none);
        r(false, "GET", "/volumes/{vol}/files", 0, q("path", "/"));
        r(false, "GET", "/volumes/{vol}/files/content", 0, q("path", c + "-f.txt"));
        r(false, "GET", "/volumes/{vol}/files/download", 0, q("path", c + "-f.txt"));
        r(false, "POST", "/volumes/{vol}/files/upload", UPLOAD, q("path", c + "-up"));
        r(false, "POST", "/volumes/{vol}/files", 0, none, f("path", 'p', c + "-f.txt"), f("content", 's', "hello"));
        r(false, "DELETE", "/volumes/{vol}/files", 0, q("path", c + "-gone.txt"));
        r(false, "POST", "/volumes/{vol}/folders", 0, none, f("path", 'p', c + "-dir"));
        r(false, "POST", "/volumes/{vol}/copy", 0, none, f("source", 'p', c + "-f.txt"), f("destination", 'p', c + "-copy.txt"));
        r(false, "POST", "/volumes/{vol}/move", 0, none, f("source", 'p', c + "-copy.txt"), f("destination", 'p', c + "-moved.txt"));
        r(false, "POST", "/volumes/{vol}/compress", 0, none, f("path", 'p', c + "-dir"), f("format", 's', "tar.gz"),
                f("output_name", 'p', c + "-arch"));
        r(false, "POST", "/volumes/{vol}/decompress", 0, none, f("archive_path", 'p', c + "-arch.tar.gz"),
                f("destination", 'p', c + "-out"));
        r(false, "GET", "/containers", 0, none);
        r(false, "POST", "/containers", CREATE, none, f("internal_id", 'n', "zz-adv-c"), f("image", 's', "lightd-test/busybox:1"),
                f("volume_id", 's', "{vol}"), f("startup_command", 's', "sleep 3600"), f("start_pattern", 's', "ready"),
                f("install_script", 's', ""), f("stop_command", 's', "stop"), f("restart_on_crash", 'b', false),
                f("crash_on_clean_exit", 'b', false), f("limits", 'o', Map.of("memory", 67108864, "disk", 100, "pids", 64, "cpu", 0.5)),
                f("ports", 'P', List.of()));
        r(false, "GET", "/containers/{ctr}", 0, none);
        r(false, "DELETE", "/containers/{ctr}", UNSAFE, none);
        r(false, "POST", "/containers/{ctr}/reinstall", UNSAFE, none, f("image", 's', "lightd-test/busybox:1"),
                f("install_script", 's', ""), f("limits", 'o', Map.of("memory", 67108864)));
        r(false, "POST", "/containers/{ctr}/rebind-network", UNSAFE, none, f("ports", 'P',
                List.of(Map.of("ip", "127.0.0.1", "port", 61234, "protocol", "tcp"))));
        for (String a : List.of("start", "stop", "kill", "restart")) {
            r(false, "POST", "/containers/{ctr}/" + a, UNSAFE, none);
        }
        r(false, "GET", "/network/ports", 0, none);
        r(false, "GET", "/network/ports/random", 0, none);
        r(false, "POST", "/network/ports", CREATE, none, f("ip", 's', "127.0.0.1"), f("port", 'i', 61235), f("protocol", 's', "tcp"));
        r(false, "GET", "/network/ports/{ip}/{port}", 0, none);
        r(false, "PUT", "/network/ports/{ip}/{port}/use", 0, none, f("in_use", 'b', false));
        r(false, "DELETE", "/network/ports/{ip}/{port}", UNSAFE, none);
        r(false, "POST", "/network/ports/bulk-delete", UNSAFE, none, f("ports", 'P', List.of(Map.of("ip", "127.0.0.1", "port", 61299))));
        r(false, "WS", "/ws/{ctr}", 0, none);
        // mcctl face
        r(true, "GET", "/health", PUB, none);
        r(true, "HEAD", "/health", PUB, none);
        r(true, "POST", "/api/auth/login", PUB, none, f("username", 's', "zz-adv-nobody"), f("password", 's', "wrong"));
        r(true, "GET", "/api/auth/me", 0, none);
        r(true, "GET", "/api/servers", 0, none);
        r(true, "POST", "/api/servers", CREATE, none, f("name", 'n', "zz-adv-s"), f("type", 's', "VANILLA"),
                f("version", 's', "1.21.1"), f("memory", 's', "1G"), f("seed", 's', "adv"), f("world", 'n', "zz-adv-w"),
                f("autoStart", 'b', false), f("crashOnCleanExit", 'b', false));
        r(true, "GET", "/api/servers/{srv}", 0, none);
        r(true, "DELETE", "/api/servers/{srv}", UNSAFE, q("force", "true"));
        r(true, "POST", "/api/servers/{srv}/exec", 0, none, f("command", 's', "list"));
        r(true, "POST", "/servers/{srv}/console/exec", 0, none, f("command", 's', "list"));
        for (String a : List.of("start", "stop", "restart")) {
            r(true, "POST", "/api/servers/{srv}/" + a, UNSAFE, none);
        }
        r(true, "GET", "/api/servers/{srv}/status", 0, none);
        r(true, "GET", "/api/servers-status", STREAM, none);
        r(true, "GET", "/api/servers/{srv}/config", 0, none);
        r(true, "PATCH", "/api/servers/{srv}/config", 0, none, f("motd", 's', "adversarial"), f("maxPlayers", 'i', 20),
                f("pvp", 'b', true), f("difficulty", 's', "easy"));
        r(true, "POST", "/api/servers/{srv}/world/reset", UNSAFE, none);
        r(true, "GET", "/api/playit/status", 0, none);
        r(true, "GET", "/api/servers/{srv}/files", 0, q("path", "/"));
        r(true, "GET", "/api/servers/{srv}/files/read", 0, q("path", c + "-f.txt"));
        r(true, "GET", "/api/servers/{srv}/files/download", 0, q("path", c + "-f.txt"));
        r(true, "PUT", "/api/servers/{srv}/files/write", 0, none, f("path", 'p', c + "-f.txt"), f("content", 's', "hello"));
        r(true, "DELETE", "/api/servers/{srv}/files", 0, q("path", c + "-gone.txt"));
        r(true, "POST", "/api/servers/{srv}/files/mkdir", 0, none, f("path", 'p', c + "-dir"));
        r(true, "POST", "/api/servers/{srv}/files/rename", 0, none, f("oldPath", 'p', c + "-f.txt"), f("newPath", 'p', c + "-g.txt"));
        r(true, "POST", "/api/servers/{srv}/files/upload", UPLOAD, q("path", "/"));
        r(true, "GET", "/api/servers/{srv}/logs", STREAM, q("lines", "10", "follow", "false"));
        r(true, "GET", "/api/servers/{srv}/hostnames", 0, none);
        r(true, "GET", "/api/servers/{srv}/whitelist", 0, none);
        r(true, "POST", "/api/servers/{srv}/whitelist", 0, none, f("player", 's', "zzadv_one"));
        r(true, "DELETE", "/api/servers/{srv}/whitelist/{player}", 0, none);
        r(true, "GET", "/api/servers/{srv}/whitelist/status", 0, none);
        r(true, "PUT", "/api/servers/{srv}/whitelist/status", 0, none, f("enabled", 'b', false));
        r(true, "GET", "/api/servers/{srv}/ops", 0, none);
        r(true, "POST", "/api/servers/{srv}/ops", 0, none, f("player", 's', "zzadv_one"), f("level", 'i', 1));
        r(true, "PATCH", "/api/servers/{srv}/ops/{player}", 0, none, f("level", 'i', 2));
        r(true, "DELETE", "/api/servers/{srv}/ops/{player}", 0, none);
        r(true, "GET", "/api/servers/{srv}/bans", 0, none);
        r(true, "POST", "/api/servers/{srv}/bans", 0, none, f("player", 's', "zzadv_one"), f("reason", 's', "adversarial"));
        r(true, "DELETE", "/api/servers/{srv}/bans/{player}", 0, none);
        r(true, "GET", "/api/worlds", 0, none);
        r(true, "GET", "/api/worlds/{world}", 0, none);
        r(true, "POST", "/api/worlds", CREATE, none, f("name", 'n', "zz-adv-w"), f("seed", 's', "adv"),
                f("autoStart", 'b', false));
        r(true, "POST", "/api/worlds/{world}/assign", UNSAFE, none, f("serverName", 'n', "{srv}"));
        r(true, "POST", "/api/worlds/{world}/release", UNSAFE, none);
        r(true, "DELETE", "/api/worlds/{world}", UNSAFE, none);
        r(true, "GET", "/api/audit-logs", 0, q("limit", "5", "offset", "0", "action", "server.create", "from", "2020-01-01"));
        r(true, "GET", "/api/audit-logs/stats", 0, none);
        r(true, "GET", "/api/audit-logs/stream", STREAM, none);
        r(true, "GET", "/api/audit-logs/export", 0, q("format", "csv"));
        r(true, "GET", "/api/audit-logs/{audit}", 0, none);
        r(true, "DELETE", "/api/audit-logs", 0, none, f("before", 's', "2000-01-01T00:00:00Z"), f("dryRun", 'b', true));
    }

    // ---- hostile values -------------------------------------------------------------------------

    static final String LONG = "A".repeat(100_000);

    /** Traversal variants, each ending in a file name carrying the canary. */
    static List<String> traversals(String name) {
        String up = "../".repeat(12);
        return List.of(up + "tmp/" + name, "/tmp/" + name, "..\\..\\..\\..\\..\\..\\tmp\\" + name,
                "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/tmp/" + name, "%252e%252e%252f%252e%252e%252ftmp%252f" + name,
                "....//....//....//....//tmp/" + name, "./" + up + "root/" + name, "a/" + up + "etc/" + name,
                "//tmp//" + name, "\u0000" + up + "tmp/" + name, up + "var/lib/" + name, "..%c0%af..%c0%af" + name,
                name + "/" + up + "tmp/" + name + "-2", "~/" + name, "/proc/self/cwd/" + name, "..;/" + up + name,
                "..\u2215..\u2215..\u2215tmp\u2215" + name, "\u202e" + up + "tmp/" + name, up + "tmp/" + name + "\u0000.txt",
                "file:///tmp/" + name, up + data.replaceFirst("^/", "") + "/../" + name, ".." , "../", "/", "", " ");
    }

    static List<String> evilStrings(String name) {
        List<String> out = new ArrayList<>(List.of("\u0000", "a\u0000b", "\u0001\u001f\u007f", "line\nsecond", "cr\rlf\n",
                "ünïcödé-名前", "😀🔥💥", "\u202eevil\u202c", "\ufeffbom", "\ud800", LONG, "", " ", "${jndi:ldap://x/a}",
                "{{7*7}}", "'; DROP TABLE volumes;--", "%s%n%x", "<script>", "-1", "0", "null", "true", "\\", "\"",
                "zz-adv-" + "x".repeat(40), "ZZ-ADV", "@a", "Steve\nop Evil"));
        out.addAll(traversals(name));
        return out;
    }

    /** Raw (already percent-encoded) path segment replacements. */
    static final List<String> EVIL_SEGMENTS = List.of("%00", "a%00b", "%01%1f%7f", "%0a", "%0d%0a", "..", "%2e%2e",
            "%2e%2e%2f%2e%2e%2ftmp", "%252e%252e%252f", "..%2f..%2f..%2fetc", "..%5c..%5c", "%5c", "%2f", "%2F%2F",
            "%ff", "%c0%ae%c0%ae", "%e2%80%ae", "%f0%9f%98%80", "%ef%bb%bf", "%", "%zz", "%2", "%u002e", "x".repeat(10_000),
            ";", "%3b", "%3bjsessionid=1", "a;b=c", "..;", "~", "-1", "0", "99999999999999999999999", "%20", "+", "*",
            "%3Cscript%3E", "null", "undefined", "%7B%7D", "zz-adv-nothere", "ZZ-ADV-UPPER", "%e5%90%8d%e5%89%8d");

    static final List<Object> WRONG_VALUES = List.of(123, -1, 0, 1.5, new Raw("1e400"), new Raw("-1e400"),
            new Raw("99999999999999999999999999"), new Raw("-9223372036854775809"), new Raw("9223372036854775807"),
            true, false, new Raw("null"), List.of(), Map.of(), "str", List.of(1, 2), Map.of("a", 1), "", List.of("x"),
            new Raw("\"\\ud800\""), new Raw("\"\\u0000\""), new Raw("NaN"), new Raw("Infinity"), new Raw("0x10"),
            new Raw("01"), new Raw("1."), new Raw("+1"), new Raw("[null]"), new Raw("[[[]]]"), new Raw("{\"\":{}}"));

    /** A JSON text inserted as is. */
    record Raw(String json) {}

    // ---- JSON writing and reading ---------------------------------------------------------------

    static String json(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static void write(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case Raw r -> sb.append(r.json());
            case String s -> quote(sb, s);
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (var e : m.entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    quote(sb, String.valueOf(e.getKey()));
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) sb.append(',');
                    write(sb, l.get(i));
                }
                sb.append(']');
            }
            default -> quote(sb, v.toString());
        }
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20 || Character.isSurrogate(ch) && !(Character.isHighSurrogate(ch) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(ch) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A small strict JSON parser: Map, List, String, Double, Boolean, null; throws on anything else. */
    static final class Parser {
        final String s;
        int i;

        Parser(String s) {
            this.s = s;
        }

        static Object parse(String s) {
            Parser p = new Parser(s);
            p.ws();
            Object v = p.value(0);
            p.ws();
            if (p.i != s.length()) throw new IllegalArgumentException("trailing text");
            return v;
        }

        void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
        }

        Object value(int depth) {
            if (depth > 200 || i >= s.length()) throw new IllegalArgumentException("bad json");
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (peek('}')) return m;
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    ws();
                    m.put(k, value(depth + 1));
                    ws();
                    if (peek('}')) return m;
                    expect(',');
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (peek(']')) return l;
                while (true) {
                    ws();
                    l.add(value(depth + 1));
                    ws();
                    if (peek(']')) return l;
                    expect(',');
                }
            }
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            if (start == i) throw new IllegalArgumentException("bad json");
            return Double.parseDouble(s.substring(start, i));
        }

        boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!peek(c)) throw new IllegalArgumentException("expected " + c);
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= s.length()) throw new IllegalArgumentException("open string");
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c < 0x20) throw new IllegalArgumentException("control char in string");
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        case '"', '\\', '/' -> sb.append(e);
                        default -> throw new IllegalArgumentException("bad escape");
                    }
                } else {
                    sb.append(c);
                }
            }
        }
    }

    static Object parseOrNull(String s) {
        try {
            return Parser.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- one request ----------------------------------------------------------------------------

    /** What was sent (for reports) and what came back; status -1 when nothing came back. */
    record Outcome(String method, String target, int status, String body, String contentType) {}

    enum Kind {
        VALID, TRUNCATED, HUGE, DEEP, WRONG_TYPE, SHAPE, GARBAGE, EVIL_FIELD, EVIL_SEGMENT, WRONG_METHOD,
        CONTENT_TYPE, BAD_AUTH, HUGE_HEADERS, RAW, QUERY
    }

    static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "PROPFIND",
            "FOO", "get", "MKCOL"};

    static String valueFor(String placeholder, boolean real, Random rnd) {
        if (!real) {
            return switch (placeholder) {
                case "ip" -> "10.255.255." + (1 + rnd.nextInt(200));
                case "port" -> Integer.toString(61000 + rnd.nextInt(400));
                case "player" -> "zzadv_" + rnd.nextInt(1000);
                case "tok", "audit" -> Integer.toString(900_000 + rnd.nextInt(1000));
                default -> "zz-adv-nothere-" + rnd.nextInt(1000);
            };
        }
        return switch (placeholder) {
            case "vol" -> volumeId;
            case "ctr" -> containerId;
            case "srv" -> serverName;
            case "world" -> "zz-adv-w" + rnd.nextInt(3);
            case "ip" -> "127.0.0.1";
            case "port" -> Integer.toString(61235);
            case "player" -> "zzadv_one";
            case "tok" -> "1";
            case "audit" -> Integer.toString(1 + rnd.nextInt(50));
            default -> "x";
        };
    }

    /** The route's path with placeholders filled (raw, already encoded); one may be replaced by an evil segment. */
    static String fillPath(Route route, boolean real, Random rnd, String evil) {
        String path = route.path();
        List<String> holders = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\\{([a-z]+)}").matcher(path);
        while (m.find()) holders.add(m.group(1));
        String victim = evil != null && !holders.isEmpty() ? holders.get(rnd.nextInt(holders.size())) : null;
        for (String h : holders) {
            String v = h.equals(victim) ? evil : enc(valueFor(h, real, rnd));
            path = path.replace("{" + h + "}", v);
        }
        if (evil != null && holders.isEmpty()) {
            // no parameter: append or insert the evil segment
            path = rnd.nextBoolean() ? path + "/" + evil : path.replaceFirst("/", "/" + evil + "/");
        }
        return path;
    }

    static String enc(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_.~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    static String query(Map<String, String> params) {
        if (params.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("?");
        for (var e : params.entrySet()) {
            if (sb.length() > 1) sb.append('&');
            sb.append(enc(e.getKey())).append('=').append(enc(e.getValue()));
        }
        return sb.toString();
    }

    static Map<String, Object> validBody(Route route, int i, Random rnd) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (Field f : route.fields()) {
            Object v = f.valid();
            if (v instanceof String s) {
                if (s.equals("{vol}")) v = volumeId;
                else if (s.equals("{srv}")) v = serverName;
                else if (f.kind() == 'n') v = s + seed + "-" + i;
            }
            if (f.name().equals("internal_id")) v = "zz-adv-c" + seed + "-" + i;
            if (f.name().equals("port") && route.path().equals("/network/ports")) v = 61000 + rnd.nextInt(400);
            body.put(f.name(), v);
        }
        return body;
    }

    static String deep(int n, boolean object) {
        StringBuilder sb = new StringBuilder(n * 6);
        for (int k = 0; k < n; k++) sb.append(object ? "{\"a\":" : "[");
        sb.append("1");
        for (int k = 0; k < n; k++) sb.append(object ? "}" : "]");
        return sb.toString();
    }

    static Outcome one(int i) throws Exception {
        Random rnd = new Random(seed * 1_000_003L + i * 0x9E3779B97F4A7C15L);
        Route route = ROUTES.get(rnd.nextInt(ROUTES.size()));
        Kind kind = Kind.values()[i % Kind.values().length];
        if (route.method().equals("WS")) {
            return websocket(route, kind, rnd, i);
        }
        String name = canary + "-" + i;
        // a valid request to a destructive route never names a real resource
        boolean keepsValid = kind == Kind.VALID || kind == Kind.CONTENT_TYPE || kind == Kind.HUGE_HEADERS
                || kind == Kind.QUERY || (kind == Kind.EVIL_FIELD && route.fields().isEmpty());
        boolean real = !(route.has(UNSAFE) && keepsValid) || kind == Kind.BAD_AUTH;
        if (route.has(UNSAFE) && route.fields().isEmpty() && kind != Kind.BAD_AUTH && kind != Kind.EVIL_SEGMENT) {
            real = false;
        }
        String method = route.method();
        Map<String, String> params = new LinkedHashMap<>(route.query());
        Map<String, Object> body = validBody(route, i, rnd);
        String bodyText = route.fields().isEmpty() ? null : json(body);
        String contentType = bodyText == null ? null : "application/json";
        String evilSegment = null;
        Map<String, String> headers = new LinkedHashMap<>();
        boolean auth = true;
        String authValue = null;

        switch (kind) {
            case VALID -> { }
            case TRUNCATED -> {
                String full = bodyText != null ? bodyText : json(Map.of("name", name, "x", List.of(1, 2, 3)));
                bodyText = full.substring(0, rnd.nextInt(Math.max(1, full.length())));
                contentType = "application/json";
            }
            case HUGE -> {
                int size = rnd.nextInt(16) == 0 ? 17 * 1024 * 1024 : (1 + rnd.nextInt(2)) * 1024 * 1024;
                String big = "x".repeat(size);
                if (route.fields().isEmpty() || rnd.nextBoolean()) {
                    Map<String, Object> m = new LinkedHashMap<>(body);
                    m.put(rnd.nextBoolean() ? "junk" : "a".repeat(70_000), big);
                    bodyText = json(m);
                } else {
                    Field f = route.fields().get(rnd.nextInt(route.fields().size()));
                    body.put(f.name(), big);
                    bodyText = json(body);
                }
                if (rnd.nextInt(4) == 0) {
                    // a huge array of small things
                    bodyText = "{\"ports\":[" + "{\"ip\":\"127.0.0.1\",\"port\":1},".repeat(60_000) + "1]}";
                }
                contentType = "application/json";
            }
            case DEEP -> {
                int depth = List.of(600, 1001, 5000, 100_000).get(rnd.nextInt(4));
                String nested = deep(depth, rnd.nextBoolean());
                if (route.fields().isEmpty() || rnd.nextInt(3) == 0) {
                    bodyText = nested;
                } else {
                    Field f = route.fields().get(rnd.nextInt(route.fields().size()));
                    body.put(f.name(), new Raw(nested));
                    bodyText = json(body);
                }
                contentType = "application/json";
            }
            case WRONG_TYPE -> {
                if (route.fields().isEmpty()) {
                    bodyText = json(Map.of("unexpected", WRONG_VALUES.get(rnd.nextInt(WRONG_VALUES.size()))));
                } else {
                    Field f = route.fields().get(rnd.nextInt(route.fields().size()));
                    Object wrong = WRONG_VALUES.get(rnd.nextInt(WRONG_VALUES.size()));
                    if ((f.kind() == 'P' || f.kind() == 'o') && rnd.nextBoolean()) {
                        // a wrong type one level down
                        wrong = f.kind() == 'P' ? List.of(Map.of("ip", wrong, "port", WRONG_VALUES.get(rnd.nextInt(WRONG_VALUES.size()))))
                                : Map.of(List.of("memory", "disk", "pids", "cpu").get(rnd.nextInt(4)), wrong);
                    }
                    body.put(f.name(), wrong);
                    bodyText = json(body);
                }
                contentType = "application/json";
            }
            case SHAPE -> {
                bodyText = switch (rnd.nextInt(9)) {
                    case 0 -> "[]";
                    case 1 -> "\"string\"";
                    case 2 -> "42";
                    case 3 -> "null";
                    case 4 -> "";
                    case 5 -> bodyText == null ? "{}" : bodyText.replaceFirst("\\{", "{\"" + route.fields().get(0).name()
                            + "\":1,");  // duplicate key
                    case 6 -> {
                        Map<String, Object> m = new LinkedHashMap<>(body);
                        if (!m.isEmpty()) m.remove(m.keySet().iterator().next());
                        yield json(m);
                    }
                    case 7 -> "{\"__proto__\":{\"admin\":true},\"constructor\":{}}";
                    default -> bodyText == null ? "{}{}" : bodyText + bodyText;
                };
                contentType = "application/json";
            }
            case GARBAGE -> {
                byte[] junk = new byte[1 + rnd.nextInt(4096)];
                rnd.nextBytes(junk);
                return send(route, method, fillPath(route, real, rnd, null) + query(params), junk,
                        "application/json", headers, true, null);
            }
            case EVIL_FIELD -> {
                List<String> evil = evilStrings(name);
                String v = evil.get(rnd.nextInt(evil.size()));
                List<Field> stringy = route.fields().stream().filter(f -> "spna".indexOf(f.kind()) >= 0).toList();
                if (!stringy.isEmpty() && (params.isEmpty() || rnd.nextBoolean())) {
                    Field f = stringy.get(rnd.nextInt(stringy.size()));
                    body.put(f.name(), f.kind() == 'a' ? List.of(v) : v);
                    bodyText = json(body);
                } else if (!params.isEmpty()) {
                    String k = params.keySet().stream().toList().get(rnd.nextInt(params.size()));
                    params.put(k, v);
                } else if (route.has(UPLOAD)) {
                    params.put("path", v);
                } else {
                    params.put("path", v);
                }
            }
            case EVIL_SEGMENT -> evilSegment = EVIL_SEGMENTS.get(rnd.nextInt(EVIL_SEGMENTS.size()));
            case WRONG_METHOD -> {
                method = METHODS[rnd.nextInt(METHODS.length)];
                if (method.equals(route.method())) method = "PATCH".equals(method) ? "PUT" : "PATCH";
                if (route.has(UNSAFE)) real = false;
                if (bodyText == null && rnd.nextBoolean()) {
                    bodyText = "{\"x\":1}";
                    contentType = "application/json";
                }
            }
            case CONTENT_TYPE -> {
                contentType = List.of("text/plain", "application/xml", "multipart/form-data; boundary=zz",
                        "multipart/form-data", "application/x-www-form-urlencoded", "application/json; charset=utf-16",
                        "application/json; charset=nonsense", "*/*", "application/octet-stream", "garbage",
                        "text/event-stream").get(rnd.nextInt(11));
                if (bodyText == null && rnd.nextBoolean()) bodyText = "a=b&c=d";
                if (rnd.nextInt(5) == 0) contentType = null;
            }
            case BAD_AUTH -> {
                auth = false;
                authValue = List.of("", "Bearer ", "Bearer x", "Bearer " + token + "x", "bearer " + token.toUpperCase(Locale.ROOT),
                        "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + token).getBytes()),
                        "Bearer " + key, "Bearer " + "t".repeat(8000), "Token " + token, "Bearer " + token.substring(1),
                        "Bearer null", "Bearer 😀").get(rnd.nextInt(12));
                if (route.mc()) {
                    headers.put("X-API-Key", List.of("", "x", key + "x", token, key.substring(1), "k".repeat(8000), "null",
                            key.toUpperCase(Locale.ROOT)).get(rnd.nextInt(8)));
                    if (rnd.nextBoolean()) headers.put("X-Role", "admin");
                    if (rnd.nextBoolean()) headers.put("X-User", "admin");
                    if (rnd.nextInt(3) == 0) headers.put("X-Forwarded-For", "127.0.0.1");
                } else if (rnd.nextInt(3) == 0) {
                    params.put("token", token + "x");
                }
            }
            case HUGE_HEADERS -> {
                return raw(route, hugeHeaderRequest(route, fillPath(route, real, rnd, null) + query(params), bodyText, rnd));
            }
            case RAW -> {
                return raw(route, rawVariant(route, fillPath(route, real, rnd, null) + query(params), bodyText, rnd, name));
            }
            case QUERY -> {
                List<String> keys = List.of("path", "lines", "follow", "force", "format", "limit", "offset", "token",
                        "api_key", "action", "since", "from", "to", "before", "actor", "status", "search", "page");
                List<String> vals = new ArrayList<>(List.of("-1", "0", "abc", "99999999999999999999", "1e9", "true", "maybe",
                        "xml", "", "%", "\u0000", "😀", "-9223372036854775808", "2020-13-45", "../../etc/passwd"));
                vals.addAll(traversals(name));
                int n = 1 + rnd.nextInt(4);
                for (int k = 0; k < n; k++) {
                    String key2 = keys.get(rnd.nextInt(keys.size()));
                    if (key2.equals("token") || key2.equals("api_key")) continue;
                    params.put(key2, vals.get(rnd.nextInt(vals.size())));
                }
                if (rnd.nextInt(6) == 0) params.put("path", "p".repeat(20_000));
            }
        }
        String target = fillPath(route, real, rnd, evilSegment) + query(params);
        if (route.has(UPLOAD) && kind != Kind.CONTENT_TYPE && kind != Kind.TRUNCATED && kind != Kind.HUGE
                && kind != Kind.DEEP && kind != Kind.SHAPE) {
            String boundary = "zzadv" + i;
            String fileName = kind == Kind.EVIL_FIELD || rnd.nextBoolean()
                    ? evilStrings(name).get(rnd.nextInt(evilStrings(name).size())) : name + ".txt";
            String part = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + (route.mc() ? "file" : "files")
                    + "\"; filename=\"" + fileName.replace("\"", "%22").replace("\r", "").replace("\n", "") + "\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\nhello\r\n--" + boundary + (rnd.nextInt(4) == 0 ? "" : "--\r\n");
            return send(route, method, target, part.getBytes(StandardCharsets.UTF_8),
                    "multipart/form-data; boundary=" + boundary, headers, auth, authValue);
        }
        byte[] bytes = bodyText == null ? null : bodyText.getBytes(StandardCharsets.UTF_8);
        return send(route, method, target, bytes, contentType, headers, auth, authValue);
    }

    static Outcome send(Route route, String method, String target, byte[] body, String contentType,
            Map<String, String> headers, boolean auth, String authValue) throws Exception {
        String base = route.mc() ? mcctl : lightd;
        URI uri;
        try {
            uri = URI.create(base + target);
        } catch (IllegalArgumentException e) {
            return raw(route, requestBytes(method, target, body, contentType, headers, auth, authValue, route));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            if (contentType != null) b.header("Content-Type", contentType);
            if (auth) {
                if (route.mc()) b.header("X-API-Key", key);
                else b.header("Authorization", "Bearer " + token);
            } else if (authValue != null && !authValue.isEmpty()) {
                b.header("Authorization", authValue);
            }
            for (var e : headers.entrySet()) {
                if (!e.getValue().isEmpty()) b.header(e.getKey(), e.getValue());
            }
            if (route.has(STREAM)) b.header("Accept", "text/event-stream");
        } catch (IllegalArgumentException e) {
            return raw(route, requestBytes(method, target, body, contentType, headers, auth, authValue, route));
        }
        if (only >= 0) {
            HttpRequest built = b.build();
            System.err.println("DEBUG " + method + " " + uri + " " + built.headers().map() + " body="
                    + (body == null ? "null" : excerpt(new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8))));
        }
        HttpResponse<InputStream> res;
        try {
            try {
                res = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                if (e instanceof java.net.http.HttpTimeoutException) throw e;
                // a pooled connection the daemon had closed, or a reset under a 414/431 answer
                // (Jetty closes with the rest of a too-long request unread): once more, alone
                res = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            }
        } catch (IOException e) {
            if (!(e instanceof java.net.http.HttpTimeoutException) && uri.toString().length() > 8000) {
                resets.incrementAndGet();
                return new Outcome(method, target, 0, "(reset under an answer to a " + uri.toString().length()
                        + "-byte request line: " + e + ")", null);
            }
            if (body != null && body.length > 16 * 1024 * 1024) {
                // the daemon may answer 413 and close while a huge body is still being sent
                return new Outcome(method, target, 0, "(connection closed while sending " + body.length + " bytes: " + e + ")", null);
            }
            return new Outcome(method, target, -1, String.valueOf(e), null);
        }
        String ct = res.headers().firstValue("Content-Type").orElse(null);
        String text = "";
        try (InputStream in = res.body()) {
            if (res.statusCode() >= 300) {
                text = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            text = "(body unreadable: " + e + ")";
        }
        return new Outcome(method, target, res.statusCode(), text, ct);
    }

    // ---- raw socket requests --------------------------------------------------------------------

    static byte[] requestBytes(String method, String target, byte[] body, String contentType, Map<String, String> headers,
            boolean auth, String authValue, Route route) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if (contentType != null) sb.append("Content-Type: ").append(contentType).append("\r\n");
        if (auth) sb.append(route.mc() ? "X-API-Key: " + key : "Authorization: Bearer " + token).append("\r\n");
        else if (authValue != null && !authValue.isEmpty()) sb.append("Authorization: ").append(authValue).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) out.writeBytes(body);
        return out.toByteArray();
    }

    static String authLine(Route route) {
        return (route.mc() ? "X-API-Key: " + key : "Authorization: Bearer " + token) + "\r\n";
    }

    static byte[] hugeHeaderRequest(Route route, String target, String body, Random rnd) {
        StringBuilder sb = new StringBuilder();
        sb.append(route.method()).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
                .append(authLine(route));
        switch (rnd.nextInt(5)) {
            case 0 -> sb.append("X-Long: ").append("v".repeat(64 * 1024)).append("\r\n");
            case 1 -> { for (int k = 0; k < 2000; k++) sb.append("X-Many-").append(k).append(": v\r\n"); }
            case 2 -> { for (int k = 0; k < 100; k++) sb.append("X-Mid-").append(k).append(": ").append("m".repeat(100)).append("\r\n"); }
            case 3 -> sb.append("Cookie: ").append("c=1; ".repeat(20_000)).append("\r\n");
            default -> sb.append("X-").append("n".repeat(20_000)).append(": v\r\n");
        }
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0) sb.append("Content-Type: application/json\r\n");
        sb.append("Content-Length: ").append(b.length).append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(b);
        return out.toByteArray();
    }

    static byte[] rawVariant(Route route, String target, String body, Random rnd, String name) {
        String m = route.method().equals("WS") ? "GET" : route.method();
        String a = authLine(route);
        String j = body == null ? "{}" : body;
        int len = j.getBytes(StandardCharsets.UTF_8).length;
        String hdr = "Host: 127.0.0.1\r\nConnection: close\r\n" + a;
        int variant = rnd.nextInt(22);
        String s = switch (variant) {
            case 0 -> m + " " + target.replaceFirst("/([^/]*)$", "/\u0000$1") + " HTTP/1.1\r\n" + hdr + "\r\n";
            case 1 -> m + " " + target + "/ünï😀\u202e" + " HTTP/1.1\r\n" + hdr + "\r\n";
            case 2 -> m + " " + target + " HTTP/1.1\r\n" + "Host: 127.0.0.1\r\nConnection: close\r\n" + a
                    + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n" + j + "\r\n0\r\n\r\n";
            case 3 -> m + " " + target + " HTTP/1.1\r\n" + hdr
                    + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nffffffffffffffff\r\n" + j + "\r\n0\r\n\r\n";
            case 4 -> m + " " + target + " HTTP/1.1\r\n" + hdr + "Content-Length: " + len
                    + "\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n" + j;
            case 5 -> m + " " + target + " HTTP/1.1\r\n" + hdr + "Content-Length: -5\r\nContent-Type: application/json\r\n\r\n" + j;
            case 6 -> m + " " + target + " HTTP/1.1\r\n" + hdr + "Content-Length: 5\r\nContent-Length: 7\r\n\r\n" + j;
            case 7 -> m + " " + target + " HTTP/1.1\r\n" + hdr + "Content-Length: " + (len + 100)
                    + "\r\nContent-Type: application/json\r\n\r\n" + j; // short body then the client half-closes
            case 8 -> m + " " + target + "\r\n\r\n"; // HTTP/0.9
            case 9 -> m + " " + target + " HTTP/2.0\r\n" + hdr + "\r\n";
            case 10 -> m + " " + target + " HTTP/9.9\r\n" + hdr + "\r\n";
            case 11 -> m + " http://evil.example" + target + " HTTP/1.1\r\n" + hdr + "\r\n";
            case 12 -> m + "  " + target + "\tHTTP/1.1\r\n" + hdr + "\r\n";
            case 13 -> "OPTIONS * HTTP/1.1\r\n" + hdr + "\r\n";
            case 14 -> "CONNECT 127.0.0.1:22 HTTP/1.1\r\n" + hdr + "\r\n";
            case 15 -> m + " " + target + " HTTP/1.1\r\nConnection: close\r\n" + a + "\r\n"; // no Host
            case 16 -> m + " " + target + " HTTP/1.1\r\n" + hdr + "X-Bad\u0000Name: v\r\nX-Ctl: a\u0001b\u007f\r\n\r\n";
            case 17 -> m + " " + target + " HTTP/1.1\n" + "Host: 127.0.0.1\nConnection: close\n" + a.replace("\r", "") + "\n";
            case 18 -> m + " " + target + " HTTP/1.1\r\n" + hdr + " folded: continuation\r\n\tmore\r\n\r\n";
            case 19 -> m + " /" + ".." + "/" + ".." + "/" + name + " HTTP/1.1\r\n" + hdr + "\r\n";
            case 20 -> m + " " + target + " HTTP/1.1\r\n" + hdr + "Content-Length: " + len
                    + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n\r\n" + j;
            default -> m + " " + target + " HTTP/1.1\r\n" + hdr + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                    + Integer.toHexString(len) + "\r\n" + j + "\r\n"; // chunked, never terminated, then half-close
        };
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Outcome websocket(Route route, Kind kind, Random rnd, int i) throws IOException {
        boolean realId = kind != Kind.EVIL_SEGMENT;
        String target = fillPath(route, realId && rnd.nextBoolean(), rnd, kind == Kind.EVIL_SEGMENT
                ? EVIL_SEGMENTS.get(rnd.nextInt(EVIL_SEGMENTS.size())) : null);
        String version = List.of("13", "8", "", "99", "13, 8", "abc").get(kind == Kind.VALID ? 0 : rnd.nextInt(6));
        String wsKey = List.of("dGhlIHNhbXBsZSBub25jZQ==", "", "short", "x".repeat(5000)).get(kind == Kind.VALID ? 0 : rnd.nextInt(4));
        String auth = kind == Kind.BAD_AUTH ? "Authorization: Bearer nope\r\n" : authLine(route);
        if (kind == Kind.QUERY) {
            target += "?token=" + enc(List.of(token, "x", "", "%zz").get(rnd.nextInt(4)));
            auth = "";
        }
        String req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: " + version + "\r\nSec-WebSocket-Key: " + wsKey + "\r\n" + auth + "\r\n";
        if (kind == Kind.WRONG_METHOD) req = req.replaceFirst("GET", "POST");
        if (EnumSet.of(Kind.TRUNCATED, Kind.HUGE, Kind.DEEP, Kind.WRONG_TYPE, Kind.SHAPE, Kind.GARBAGE, Kind.EVIL_FIELD)
                .contains(kind)) {
            String frameReq = "GET " + fillPath(route, true, rnd, null) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + authLine(route) + "\r\n";
            return consoleFrames(route, frameReq, kind, rnd, i);
        }
        return raw(route, req.getBytes(StandardCharsets.UTF_8));
    }

    /** A WebSocket frame, masked as a client must (or not, to break the rule). */
    static byte[] frame(int opcode, byte[] payload, boolean fin, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(mask | payload.length);
        } else if (payload.length < 65536) {
            out.write(mask | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xff);
        } else {
            out.write(mask | 127);
            for (int k = 7; k >= 0; k--) out.write((int) ((long) payload.length >> (8 * k)) & 0xff);
        }
        byte[] key = {1, 2, 3, 4};
        if (masked) out.writeBytes(key);
        for (int k = 0; k < payload.length; k++) out.write(masked ? payload[k] ^ key[k % 4] : payload[k]);
        return out.toByteArray();
    }

    /** Upgrades the console socket, then sends hostile frames; 101 when the upgrade worked. */
    static Outcome consoleFrames(Route route, String upgrade, Kind kind, Random rnd, int i) throws IOException {
        URI uri = URI.create(route.mc() ? mcctl : lightd);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(upgrade.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) break;
                head.write(b);
            }
            Outcome first = parseRaw("GET", upgrade.split(" ")[1], head.toByteArray());
            if (first.status() != 101) {
                // an error answer: read its body too
                byte[] rest = in.readNBytes(1 << 16);
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                all.writeBytes(head.toByteArray());
                all.writeBytes(rest);
                return parseRaw("GET", upgrade.split(" ")[1], all.toByteArray());
            }
            String name = canary + "-" + i;
            List<String> evil = evilStrings(name);
            byte[] payload = switch (kind) {
                case TRUNCATED -> "{\"event\":\"send command\",\"args\":[\"li".getBytes(StandardCharsets.UTF_8);
                case HUGE -> ("{\"event\":\"send command\",\"args\":[\"" + "x".repeat(1 << 20) + "\"]}").getBytes(StandardCharsets.UTF_8);
                case DEEP -> deep(5000, rnd.nextBoolean()).getBytes(StandardCharsets.UTF_8);
                case WRONG_TYPE -> json(Map.of("event", WRONG_VALUES.get(rnd.nextInt(WRONG_VALUES.size())),
                        "args", WRONG_VALUES.get(rnd.nextInt(WRONG_VALUES.size())))).getBytes(StandardCharsets.UTF_8);
                case SHAPE -> List.of("[]", "null", "42", "{\"event\":\"power\",\"args\":[\"explode\"]}",
                        "{\"event\":\"logs\",\"args\":[\"-1\"]}", "{\"event\":\"send logs\",\"lines\":99999999999}")
                        .get(rnd.nextInt(6)).getBytes(StandardCharsets.UTF_8);
                case EVIL_FIELD -> json(Map.of("event", "send command", "args", List.of(evil.get(rnd.nextInt(evil.size())))))
                        .getBytes(StandardCharsets.UTF_8);
                default -> {
                    byte[] junk = new byte[1 + rnd.nextInt(2048)];
                    rnd.nextBytes(junk);
                    yield junk;
                }
            };
            int opcode = kind == Kind.GARBAGE ? List.of(1, 2, 3, 0, 0xB, 0xF).get(rnd.nextInt(6)) : 1;
            boolean masked = kind != Kind.GARBAGE || rnd.nextInt(4) != 0;
            try {
                out.write(frame(opcode, payload, kind != Kind.GARBAGE || rnd.nextBoolean(), masked));
                out.write(frame(8, new byte[] {0x03, (byte) 0xE8}, true, true));
                out.flush();
                s.setSoTimeout(5000);
                in.readNBytes(1 << 20); // until the daemon closes (or 5 s pass)
            } catch (IOException e) {
                // closed on us: that is an answer too
            }
            return first;
        }
    }

    /** Sends bytes on a fresh socket, half-closes, and reads one response (status -1 when none came). */
    static Outcome raw(Route route, byte[] request) throws IOException {
        String base = route.mc() ? mcctl : lightd;
        URI uri = URI.create(base);
        String firstLine = new String(request, 0, Math.min(request.length, 200), StandardCharsets.UTF_8).split("\r?\n", 2)[0];
        String[] parts = firstLine.split(" ", 3);
        if (only >= 0) {
            System.err.println("DEBUG raw " + excerpt(new String(request, 0, Math.min(request.length, 600), StandardCharsets.UTF_8)));
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // the server may answer and close before everything was written: read what it said
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try {
                int n;
                long deadline = System.nanoTime() + 60_000_000_000L;
                while ((n = in.read(chunk)) > 0) {
                    buf.write(chunk, 0, n);
                    if (buf.size() > (1 << 20) || System.nanoTime() > deadline) break;
                    if (headersOfSuccess(buf)) break; // a stream (SSE, a socket) never ends; its body is not checked
                }
            } catch (SocketTimeoutException e) {
                if (buf.size() == 0) return new Outcome(parts[0], parts.length > 1 ? parts[1] : "", -1, "(no answer in 60 s)", null);
            } catch (IOException e) {
                // reset after the answer: keep what was read
            }
            return parseRaw(parts[0], parts.length > 1 ? parts[1] : "", buf.toByteArray());
        }
    }

    static boolean headersOfSuccess(ByteArrayOutputStream buf) {
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.matches("(?s)HTTP/1\\.[01] [12]\\d\\d.*") && s.contains("\r\n\r\n");
    }

    static Outcome parseRaw(String method, String target, byte[] bytes) {
        String all = new String(bytes, StandardCharsets.ISO_8859_1);
        if (!all.startsWith("HTTP/")) return new Outcome(method, target, -1, excerpt(all), null);
        int end = all.indexOf("\r\n\r\n");
        String head = end < 0 ? all : all.substring(0, end);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String ct = null;
        boolean chunked = false;
        for (String l : lines) {
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-type:")) ct = l.substring(13).trim();
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        }
        byte[] bodyBytes = end < 0 ? new byte[0] : java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        String body = new String(bodyBytes, StandardCharsets.UTF_8);
        if (chunked) body = dechunk(body);
        return new Outcome(method, target, status, body, ct);
    }

    static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int nl = s.indexOf("\r\n", i);
            if (nl < 0) break;
            int size;
            try {
                size = Integer.parseInt(s.substring(i, nl).split(";")[0].trim(), 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) break;
            out.append(s, nl + 2, Math.min(s.length(), nl + 2 + size));
            i = nl + 2 + size + 2;
        }
        return out.toString();
    }

    // ---- checks ---------------------------------------------------------------------------------

    static String excerpt(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        StringBuilder sb = new StringBuilder();
        for (char c : t.toCharArray()) sb.append(c < 0x20 ? ' ' : c);
        return sb.toString();
    }

    static void problem(String what, Route route, Outcome o, Kind kind) {
        problemCount.incrementAndGet();
        String target = o.target().length() > 160 ? o.target().substring(0, 160) + "..." : o.target();
        String line = what + " #" + CURRENT.get() + ": " + (route.mc() ? "mcctl " : "lightd ") + excerpt(o.method()) + " " + excerpt(target)
                + " [" + kind + "] -> " + o.status() + " " + excerpt(o.body());
        System.err.println("PROBLEM " + line);
        if (problems.size() < MAX_PROBLEMS) problems.add(line);
    }

    static void check(Route route, Kind kind, Outcome o) {
        statuses.computeIfAbsent(String.valueOf(o.status()), k -> new AtomicInteger()).incrementAndGet();
        int st = o.status();
        if (st == 0) return; // huge body cut off by an early answer
        if (st < 0) {
            noAnswer.incrementAndGet();
            problem("no answer", route, o, kind);
            return;
        }
        if (st == 505 && (o.body().contains("HTTP/0.9 not supported") || o.body().contains("Unknown Version"))) {
            // RFC 9110 15.6.6: the answer to a request line with a version Jetty does not speak
            // (HTTP/0.9, HTTP/9.9). Not a server fault; still JSON in the face's form, checked below.
            versionRefusals.incrementAndGet();
        } else if (st >= 500) {
            serverErrors.incrementAndGet();
            problem("5xx", route, o, kind);
            return;
        }
        if (kind == Kind.BAD_AUTH && !route.has(PUB) && st < 300 && !route.method().equals("WS")) {
            authBypass.incrementAndGet();
            problem("bad auth accepted", route, o, kind);
            return;
        }
        if (st >= 400 && !"HEAD".equalsIgnoreCase(o.method())) {
            Object parsed = parseOrNull(o.body());
            boolean ok = parsed instanceof Map<?, ?> m && m.get("error") instanceof String
                    && (!route.mc() || m.get("message") instanceof String);
            // Jetty answers a request line or headers past its limits (414, 431) and closes with the
            // rest of the request unread, so the kernel may reset the connection under the answer's
            // body: the declared JSON type is then all a client can see
            if (!ok && o.body().startsWith("(body unreadable") && o.contentType() != null
                    && o.contentType().startsWith("application/json")) {
                ok = true;
            }
            // Jetty's answer to a request line it cannot read at all cannot know which face's
            // format... it does: each face has its own connector and JsonErrorHandler. So no exemption.
            if (!ok) {
                nonJsonErrors.incrementAndGet();
                problem("non-JSON error", route, o, kind);
            }
        }
    }

    // ---- slow bodies ----------------------------------------------------------------------------

    /** Opens a connection, sends headers and part of the body slowly, then stalls; true when the daemon closed it. */
    static boolean slowBody(Route route, String target, int trickleSeconds) {
        URI uri = URI.create(route.mc() ? mcctl : lightd);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write((route.method() + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authLine(route)
                    + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"path\":\"").getBytes(StandardCharsets.UTF_8));
            out.flush();
            for (int k = 0; k < trickleSeconds; k++) {
                Thread.sleep(1000);
                out.write('a');
                out.flush();
            }
            // stall: the daemon must give up on us
            InputStream in = s.getInputStream();
            long start = System.nanoTime();
            try {
                while (in.read() >= 0) { }
            } catch (SocketTimeoutException e) {
                System.err.println("slow body: still open after 120 s of stall: " + target);
                return false;
            } catch (IOException e) {
                // reset: closed
            }
            System.err.printf("slow body: closed %.0f s after the stall: %s%n", (System.nanoTime() - start) / 1e9, target);
            return true;
        } catch (IOException e) {
            return true; // a write failed: the daemon closed it while we trickled
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    // ---- discovery, cleanup, environment checks -------------------------------------------------

    static Object getJson(boolean mc, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create((mc ? mcctl : lightd) + path)).timeout(Duration.ofSeconds(30));
        if (mc) b.header("X-API-Key", key);
        else b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        return Parser.parse(r.body());
    }

    static int call(boolean mc, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create((mc ? mcctl : lightd) + path)).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (mc) b.header("X-API-Key", key);
        else b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) System.err.println(method + " " + path + " -> " + r.statusCode() + " " + excerpt(r.body()));
        return r.statusCode();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object doc, String field) {
        if (doc instanceof Map<?, ?> m && m.get(field) instanceof List<?> l) {
            return (List<Map<String, Object>>) l;
        }
        return List.of();
    }

    static Set<String> ids(Object doc, String field, String idField) {
        Set<String> out = new HashSet<>();
        for (var m : list(doc, field)) {
            Object v = m.get(idField);
            if (v != null) out.add(v instanceof Double d ? Long.toString(d.longValue()) : v.toString());
        }
        return out;
    }

    static Set<String> portKeys() throws Exception {
        Set<String> out = new HashSet<>();
        for (var m : list(getJson(false, "/network/ports"), "ports")) {
            Object p = m.get("port");
            out.add(m.get("ip") + "/" + (p instanceof Double d ? Long.toString(d.longValue()) : p));
        }
        return out;
    }

    static void discover() throws Exception {
        Object vols = getJson(false, "/volumes");
        volumesBefore = ids(vols, "volumes", "volume_id");
        if (volumesBefore.isEmpty()) {
            call(false, "POST", "/volumes", "{}");
            Set<String> now = ids(getJson(false, "/volumes"), "volumes", "volume_id");
            volumeId = now.iterator().next();
            createdVolume = true;
        } else {
            volumeId = volumesBefore.stream().sorted().findFirst().orElseThrow();
        }
        Set<String> ctrs = ids(getJson(false, "/containers"), "containers", "internal_id");
        containerId = ctrs.isEmpty() ? "zz-adv-no-container" : ctrs.stream().sorted().findFirst().orElseThrow();
        Set<String> srvs = ids(getJson(true, "/api/servers"), "servers", "name");
        serverName = srvs.isEmpty() ? "zz-adv-no-server" : srvs.stream().sorted().findFirst().orElseThrow();
        tokensBefore = ids(getJson(false, "/auth/tokens"), "tokens", "id");
        portsBefore = portKeys();
        System.err.printf("adversarial: volume %s, container %s, server %s (created volume: %s)%n", volumeId, containerId,
                serverName, createdVolume);
    }

    static void cleanup() {
        try {
            for (var m : list(getJson(false, "/containers"), "containers")) {
                String internal = String.valueOf(m.get("internal_id"));
                if (internal.startsWith("zz-adv-")) {
                    call(false, "DELETE", "/containers/" + enc(internal), null);
                }
            }
            for (String s : ids(getJson(true, "/api/servers"), "servers", "name")) {
                if (s.startsWith("zz-adv-")) call(true, "DELETE", "/api/servers/" + enc(s) + "?force=true", null);
            }
            for (String w : ids(getJson(true, "/api/worlds"), "worlds", "name")) {
                if (w.startsWith("zz-adv-")) call(true, "DELETE", "/api/worlds/" + enc(w), null);
            }
            for (String v : ids(getJson(false, "/volumes"), "volumes", "volume_id")) {
                if (!volumesBefore.contains(v)) call(false, "DELETE", "/volumes/" + enc(v), null);
            }
            for (String t : ids(getJson(false, "/auth/tokens"), "tokens", "id")) {
                if (!tokensBefore.contains(t)) call(false, "DELETE", "/auth/tokens/" + enc(t), null);
            }
            for (String p : portKeys()) {
                if (!portsBefore.contains(p)) {
                    String[] ipPort = p.split("/");
                    call(false, "DELETE", "/network/ports/" + enc(ipPort[0]) + "/" + ipPort[1], null);
                }
            }
        } catch (Exception e) {
            System.err.println("cleanup: " + e);
        }
    }

    static long rssMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    static boolean alive() {
        try {
            HttpResponse<String> a = client.send(HttpRequest.newBuilder(URI.create(lightd + "/api/v1/public/ping"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> b = client.send(HttpRequest.newBuilder(URI.create(mcctl + "/health"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return a.statusCode() == 200 && b.statusCode() == 200 && Files.exists(Path.of("/proc/" + pid));
        } catch (Exception e) {
            return false;
        }
    }

    /** Files named with the canary under likely targets, outside the data folder, one filesystem each. */
    static List<Path> outsideWrites() {
        Path dataDir = Path.of(data).toAbsolutePath().normalize();
        List<Path> found = new ArrayList<>();
        for (String root : List.of("/tmp", "/root", "/etc", "/var/lib", "/var/tmp", "/home", "/opt", "/srv", "/")) {
            Path r = Path.of(root);
            if (!Files.isDirectory(r)) continue;
            try {
                Object rootDev = Files.getAttribute(r, "unix:dev");
                int depth = root.equals("/") ? 1 : 12;
                try (Stream<Path> walk = Files.walk(r, depth)) {
                    walk.filter(p -> !p.startsWith(dataDir) && !p.startsWith("/var/lib/docker")
                                    && !p.startsWith("/var/lib/containerd") && !p.startsWith("/proc") && !p.startsWith("/sys"))
                            .filter(p -> p.getFileName() != null && p.getFileName().toString().contains(canary))
                            .filter(p -> {
                                try {
                                    return rootDev.equals(Files.getAttribute(p, "unix:dev", java.nio.file.LinkOption.NOFOLLOW_LINKS));
                                } catch (IOException e) {
                                    return false;
                                }
                            })
                            .forEach(found::add);
                } catch (java.io.UncheckedIOException e) {
                    // unreadable subtree: skip
                }
            } catch (IOException | UnsupportedOperationException e) {
                // skip this root
            }
        }
        return found.stream().distinct().toList();
    }

    // ---- main -----------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        for (int k = 0; k < args.length; k++) {
            if (args[k].equals("--plan")) {
                only = -2;
                continue;
            }
            if (k + 1 >= args.length) {
                System.err.println("missing value for " + args[k]);
                System.exit(2);
            }
            switch (args[k++]) {
                case "--lightd" -> lightd = args[k].replaceAll("/$", "");
                case "--mcctl" -> mcctl = args[k].replaceAll("/$", "");
                case "--token" -> token = args[k];
                case "--key" -> key = args[k];
                case "--data" -> data = args[k];
                case "--pid" -> pid = Long.parseLong(args[k]);
                case "--count" -> count = Integer.parseInt(args[k]);
                case "--seed" -> seed = Long.parseLong(args[k]);
                case "--only" -> only = Integer.parseInt(args[k]);
                default -> {
                    System.err.println("unknown argument " + args[k - 1]);
                    System.exit(2);
                }
            }
        }
        if (lightd == null || mcctl == null || token == null || key == null || data == null || pid == 0 || count <= 0) {
            System.err.println("usage: Adversarial --lightd URL --mcctl URL --token T --key K --data DIR --pid PID --count N [--seed S]");
            System.exit(2);
        }
        canary = "lightd-adv-canary-" + seed;
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        routes();
        discover();
        if (only == -2) {
            for (int i = 0; i < count; i++) {
                Random rnd = new Random(seed * 1_000_003L + i * 0x9E3779B97F4A7C15L);
                Route route = ROUTES.get(rnd.nextInt(ROUTES.size()));
                System.out.println(i + " " + route.method() + " " + route.path() + " " + Kind.values()[i % Kind.values().length]);
            }
            System.exit(0);
        }
        if (only >= 0) {
            Outcome o = one(only);
            System.err.println("DEBUG -> " + o.status() + " " + o.contentType() + " " + excerpt(o.body()));
            System.exit(0);
        }
        long rssBefore = rssMb();

        // slow bodies run beside the main load: a few routes of each face, stalled after a trickle
        int slowCount = Math.min(12, 2 + count / 1000);
        List<Route> slowRoutes = ROUTES.stream().filter(r -> !r.fields().isEmpty() && !r.has(UNSAFE) && !r.has(CREATE)).toList();
        ExecutorService slowPool = Executors.newFixedThreadPool(slowCount);
        AtomicInteger slowOpen = new AtomicInteger();
        List<java.util.concurrent.Future<Boolean>> slow = new ArrayList<>();
        for (int k = 0; k < slowCount; k++) {
            Route r = slowRoutes.get((int) ((seed + k * 7L) % slowRoutes.size()));
            String target = fillPath(r, true, new Random(seed + k), null);
            slow.add(slowPool.submit(() -> slowBody(r, target, 5)));
        }

        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicLong done = new AtomicLong();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            final int n = i;
            pool.submit(() -> {
                Random rnd = new Random(seed * 1_000_003L + n * 0x9E3779B97F4A7C15L);
                Route route = ROUTES.get(rnd.nextInt(ROUTES.size()));
                Kind kind = Kind.values()[n % Kind.values().length];
                CURRENT.set(n);
                try {
                    long r0 = System.nanoTime();
                    Outcome o = one(n);
                    long ms = (System.nanoTime() - r0) / 1_000_000;
                    if (ms > 3000) {
                        System.err.printf("adversarial: slow answer #%d %s %s [%s] -> %d in %d ms%n", n, route.method(),
                                route.path(), kind, o.status(), ms);
                    }
                    requests.incrementAndGet();
                    check(route, kind, o);
                } catch (Throwable e) {
                    requests.incrementAndGet();
                    problem("client error " + e, route, new Outcome(route.method(), route.path(), -2, String.valueOf(e), null), kind);
                }
                long d = done.incrementAndGet();
                if (d % 500 == 0) {
                    System.err.printf("adversarial: %d/%d, %.0f s, 5xx %d, non-JSON %d, problems %d, rss %d MB%n", d, count,
                            (System.nanoTime() - t0) / 1e9, serverErrors.get(), nonJsonErrors.get(), problemCount.get(), rssMb());
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(6, TimeUnit.HOURS);
        for (var fut : slow) {
            if (!fut.get()) {
                slowOpen.incrementAndGet();
                problemCount.incrementAndGet();
                if (problems.size() < MAX_PROBLEMS) problems.add("slow body: connection still open 120 s after it stalled");
            }
        }
        slowPool.shutdownNow();
        System.err.println("adversarial: statuses " + statuses);

        cleanup();
        boolean alive = alive();
        if (!alive) {
            problemCount.incrementAndGet();
            problems.add(0, "daemon not answering ping/health afterwards");
        }
        long rssAfter = rssMb();
        // the heap gives memory back only after a collection: give it half a minute to settle
        for (int k = 0; k < 15 && rssBefore > 0 && rssAfter > RSS_LIMIT_MB; k++) {
            Thread.sleep(2000);
            rssAfter = rssMb();
        }
        if (rssBefore > 0 && rssAfter > RSS_LIMIT_MB) {
            problemCount.incrementAndGet();
            problems.add("RSS grew from " + rssBefore + " MB to " + rssAfter + " MB (bound " + RSS_LIMIT_MB + " MB)");
        }
        List<Path> outside = outsideWrites();
        for (Path p : outside) {
            problemCount.incrementAndGet();
            if (problems.size() < MAX_PROBLEMS) problems.add("written outside the data folder: " + p);
        }
        if (createdVolume) {
            call(false, "DELETE", "/volumes/" + enc(volumeId), null);
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", requests.get());
        out.put("server_errors", serverErrors.get());
        out.put("non_json_errors", nonJsonErrors.get());
        out.put("auth_bypass", authBypass.get());
        out.put("no_answer", noAnswer.get());
        out.put("resets_after_long_request_line", resets.get());
        out.put("version_refusals_505", versionRefusals.get());
        out.put("slow_bodies", slowCount);
        out.put("slow_bodies_not_closed", slowOpen.get());
        out.put("alive", alive);
        out.put("rss_mb_before", rssBefore);
        out.put("rss_mb_after", rssAfter);
        out.put("outside_writes", outside.size());
        out.put("seconds", Math.round((System.nanoTime() - t0) / 1e9));
        out.put("problem_count", problemCount.get());
        out.put("problems", new ArrayList<>(problems));
        System.out.println(json(out));
        System.exit(problemCount.get() == 0 ? 0 : 1);
    }
}
