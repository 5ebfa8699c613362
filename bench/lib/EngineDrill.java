import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine stop/start drill of bench/drills.sh. Makes 3 Lightd containers (busybox, a startup
 * command that echoes what it reads on stdin, restart_on_crash) and 2 mcctl servers (autoStart), all
 * named PREFIX-…; then CYCLES times stops dockerd with SIGTERM (as `systemctl stop` does, which stops
 * every container), waits for the process to end, starts it again with bin/ensure-docker and waits
 * until every one is back: state running, a command typed into each container's console WebSocket
 * echoes back, each server's RCON answers `list`. Recovery is timed from "engine answers" to "all
 * back". After each cycle the engine's containers named PREFIX… and the store's must be the same set.
 * Prints one JSON object; the exit status is 0 even with problems (they are listed in it).
 * Usage: java EngineDrill.java LIGHTD_URL MCCTL_URL TOKEN MCCTL_KEY PREFIX CYCLES IMAGE ENSURE_DOCKER
 */
public class EngineDrill {

    /** Leaves at once on SIGTERM, as a game server that saves and exits does; echoes stdin. */
    static final String TERM_AWARE = "trap 'echo bye; exit 0' TERM; echo up; while read l; do echo \"got $l\"; done";
    static final Duration BACK_WITHIN = Duration.ofSeconds(180);

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String lightd, mcctl, token, key, prefix;
    static final List<String> problems = new ArrayList<>();

    record Answer(int status, String body) {
    }

    public static void main(String[] a) throws Exception {
        Locale.setDefault(Locale.ROOT);
        lightd = a[0];
        mcctl = a[1];
        token = a[2];
        key = a[3];
        prefix = a[4];
        int cycles = Integer.parseInt(a[5]);
        String image = a[6];
        String ensureDocker = a[7];
        List<String> containers = List.of(prefix + "-c1", prefix + "-c2", prefix + "-c3");
        List<String> servers = List.of(prefix + "-a", prefix + "-b");

        String volume = field(must(call("POST", lightd + "/volumes", null)), "volume_id");
        for (String id : containers) {
            must(call("POST", lightd + "/containers", "{\"internal_id\":\"" + id + "\",\"image\":\"" + image
                    + "\",\"volume_id\":\"" + volume + "\",\"startup_command\":" + quote(TERM_AWARE)
                    + ",\"restart_on_crash\":true,\"limits\":{\"memory\":67108864,\"cpu\":0.5}}"));
        }
        for (String id : containers) {
            waitUntil("install of " + id, Duration.ofSeconds(120),
                    () -> "ready".equals(field(call("GET", lightd + "/containers/" + id, null), "install_state")));
            must(call("POST", lightd + "/containers/" + id + "/start", "{}"));
        }
        for (String name : servers) {
            must(call("POST", mcctl + "/api/servers", "{\"name\":\"" + name + "\",\"autoStart\":true}"));
        }
        if (back(containers, servers) < containers.size() + servers.size()) {
            problems.add("not everything ran before the first engine stop");
        }

        List<Integer> backCounts = new ArrayList<>();
        List<Double> recovery = new ArrayList<>();
        List<Integer> leftovers = new ArrayList<>();
        for (int cycle = 1; cycle <= cycles; cycle++) {
            log("cycle " + cycle + ": stopping dockerd (SIGTERM)");
            stopEngine();
            startEngine(ensureDocker);
            long up = System.nanoTime();
            int n = back(containers, servers);
            double took = (System.nanoTime() - up) / 1e9;
            log("cycle " + cycle + ": " + n + " back in " + String.format("%.1f", took) + " s");
            backCounts.add(n);
            recovery.add(took);
            if (n < containers.size() + servers.size()) {
                problems.add("cycle " + cycle + ": only " + n + " of " + (containers.size() + servers.size()) + " back");
            }
            int stray = strays(cycle);
            leftovers.add(stray);
        }
        List<Double> sorted = new ArrayList<>(recovery);
        sorted.sort(null);
        System.out.printf("{\"cycles\":%d,\"servers\":%d,\"back\":%s,\"recovery_s\":%s,\"recovery_s_median\":%.1f,"
                        + "\"recovery_s_max\":%.1f,\"leftovers\":%s,\"problems\":%s}%n",
                cycles, containers.size() + servers.size(), backCounts, rounded(recovery),
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2), sorted.isEmpty() ? 0 : sorted.getLast(),
                leftovers, strings(problems.subList(0, Math.min(10, problems.size()))));
        System.exit(0);
    }

    /**
     * Waits until every container runs and echoes on its console and every server's RCON answers;
     * returns how many are back when that happened or BACK_WITHIN passed.
     */
    static int back(List<String> containers, List<String> servers) throws Exception {
        long deadline = System.nanoTime() + BACK_WITHIN.toNanos();
        Set<String> done = new TreeSet<>();
        while (System.nanoTime() < deadline && done.size() < containers.size() + servers.size()) {
            for (String id : containers) {
                if (!done.contains(id) && "running".equals(field(call("GET", lightd + "/containers/" + id, null), "state"))
                        && echoes(id, deadline)) {
                    done.add(id);
                }
            }
            for (String name : servers) {
                if (!done.contains(name) && call("POST", mcctl + "/api/servers/" + name + "/exec",
                        "{\"command\":\"list\"}").status() == 200) {
                    done.add(name);
                }
            }
            Thread.sleep(200);
        }
        return done.size();
    }

    /** Opens the console WebSocket and types a word until the container echoes it (at most 30 s). */
    static boolean echoes(String id, long deadline) throws Exception {
        StringBuffer seen = new StringBuffer();
        WebSocket ws;
        try {
            ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(lightd.replaceFirst("^http", "ws") + "/ws/" + id
                    + "?token=" + token), new WebSocket.Listener() {
                final StringBuilder part = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    part.append(data);
                    if (last) {
                        seen.append(part).append('\n');
                        part.setLength(0);
                    }
                    w.request(1);
                    return null;
                }
            }).get();
        } catch (Exception e) {
            return false;
        }
        try {
            String word = "drill-" + System.nanoTime();
            long until = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(30).toNanos());
            while (System.nanoTime() < until) {
                ws.sendText("{\"event\":\"send_command\",\"data\":\"" + word + "\"}", true).get();
                for (int i = 0; i < 10; i++) {
                    Thread.sleep(100);
                    if (seen.indexOf("got " + word) >= 0) {
                        return true;
                    }
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        } finally {
            ws.abort();
        }
    }

    /** SIGTERM to dockerd (as `systemctl stop` sends), then waits until the process has ended. */
    static void stopEngine() throws Exception {
        Process p = new ProcessBuilder("pgrep", "-x", "dockerd").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        if (out.isEmpty()) {
            throw new IllegalStateException("no dockerd process to stop");
        }
        List<ProcessHandle> engines = new ArrayList<>();
        for (String pid : out.split("\\s+")) {
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(pid));
            h.ifPresent(engines::add);
            h.ifPresent(ProcessHandle::destroy); // SIGTERM
        }
        for (ProcessHandle h : engines) {
            h.onExit().get(120, TimeUnit.SECONDS);
        }
    }

    /**
     * bin/ensure-docker starts dockerd again. A JVM's child gets no descriptor beyond 0-2, so the
     * engine does not inherit (and hold forever) the lock file the drills run under.
     */
    static void startEngine(String ensureDocker) throws Exception {
        Process p = new ProcessBuilder("bash", ensureDocker).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bin/ensure-docker failed");
        }
    }

    /** Engine containers named PREFIX… that the store does not know, and store entries the engine lacks. */
    static int strays(int cycle) throws Exception {
        Set<String> store = new TreeSet<>();
        Matcher m = Pattern.compile("\"internal_id\"\\s*:\\s*\"([^\"]+)\"").matcher(must(call("GET", lightd + "/containers", null)));
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                store.add("lightd-" + m.group(1));
            }
        }
        m = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"").matcher(must(call("GET", mcctl + "/api/servers", null)));
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                store.add("mc-" + m.group(1));
            }
        }
        Process p = new ProcessBuilder("docker", "ps", "-a", "--filter", "name=" + prefix, "--format", "{{.Names}}")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Set<String> engine = new TreeSet<>();
        for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
            if (!line.isBlank()) {
                engine.add(line.strip());
            }
        }
        p.waitFor();
        Set<String> onlyEngine = new TreeSet<>(engine);
        onlyEngine.removeAll(store);
        Set<String> onlyStore = new TreeSet<>(store);
        onlyStore.removeAll(engine);
        if (!onlyEngine.isEmpty() || !onlyStore.isEmpty()) {
            problems.add("cycle " + cycle + ": in the engine only " + onlyEngine + ", in the store only " + onlyStore);
        }
        return onlyEngine.size() + onlyStore.size();
    }

    static Answer call(String method, String url, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        b = url.startsWith(mcctl) ? b.header("X-API-Key", key) : b.header("Authorization", "Bearer " + token);
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (Exception e) {
            return new Answer(0, e.toString());
        }
    }

    static String must(Answer a) {
        if (a.status() / 100 != 2) {
            throw new IllegalStateException("answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }

    static String field(Answer a, String name) {
        return a.status() / 100 == 2 ? field(a.body(), name) : null;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitUntil(String what, Duration within, Check check) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not happen within " + within.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String strings(List<String> list) {
        return list.stream().map(EngineDrill::quote).toList().toString();
    }

    static String rounded(List<Double> list) {
        return list.stream().map(d -> String.format("%.1f", d)).toList().toString();
    }

    static void log(String s) {
        System.err.println("drills: engine: " + s);
    }
}
