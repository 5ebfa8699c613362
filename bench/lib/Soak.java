import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The soak of bench/drills.sh: CLIENTS console WebSockets on one container that prints numbered lines
 * "L<n>" (each arrives as {"event":"console","data":"L<n>\n"}, so a gap in a client's numbers is a lost
 * line), plus RPS requests/s of mixed reads on both faces, for SECONDS. Every EVERY seconds a sample:
 * lines received and lost, reads, errors (non-2xx answers, failed requests, WebSockets closed or
 * failed), p99 of the reads in ms, and the daemon's RSS, threads and descriptors (from /proc/PID).
 * Prints one JSON object: {"clients":..,"samples":[{"t":..,"lines":..,"lost":..,"reads":..,"errors":..,
 * "p99_ms":..,"rss_mb":..,"threads":..,"fds":..},...],"silent_clients":..,"first_errors":[..]}.
 * The console clients are ConsoleReader.java's raw sockets.
 * Usage: java Soak.java LIGHTD_URL MCCTL_URL TOKEN MCCTL_KEY CONTAINER SERVER PID SECONDS EVERY CLIENTS RPS
 */
public class Soak {

    static final AtomicLong errors = new AtomicLong();
    static final List<String> firstErrors = new ArrayList<>();
    static final List<Long> latencies = new ArrayList<>(); // of the current sample, in microseconds
    static volatile boolean ending;

    static void error(String what) {
        errors.incrementAndGet();
        synchronized (firstErrors) {
            if (firstErrors.size() < 10) {
                firstErrors.add(what);
            }
        }
    }

    public static void main(String[] a) throws Exception {
        Locale.setDefault(Locale.ROOT);
        String lightd = a[0], mcctl = a[1], token = a[2], key = a[3], container = a[4], server = a[5];
        long pid = Long.parseLong(a[6]);
        int seconds = Integer.parseInt(a[7]), every = Integer.parseInt(a[8]), count = Integer.parseInt(a[9]);
        int rps = Integer.parseInt(a[10]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        URI ws = URI.create(lightd.replaceFirst("^http", "ws") + "/ws/" + container + "?token=" + token);
        List<ConsoleReader> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ConsoleReader c = new ConsoleReader(ws, why -> {
                if (!ending) {
                    error(why);
                }
            });
            c.counting = true;
            clients.add(c);
            c.start();
        }

        String auth = "Bearer " + token;
        List<HttpRequest> reads = new ArrayList<>();
        for (String path : List.of("/api/v1/public/ping", "/containers", "/containers/" + container, "/volumes", "/network/ports")) {
            reads.add(HttpRequest.newBuilder(URI.create(lightd + path)).header("Authorization", auth)
                    .timeout(Duration.ofSeconds(30)).build());
        }
        for (String path : List.of("/health", "/api/servers", "/api/servers/" + server)) {
            reads.add(HttpRequest.newBuilder(URI.create(mcctl + path)).header("X-API-Key", key)
                    .timeout(Duration.ofSeconds(30)).build());
        }
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(() -> {
            HttpRequest r = reads.get((int) (sent.getAndIncrement() % reads.size()));
            long t0 = System.nanoTime();
            http.sendAsync(r, HttpResponse.BodyHandlers.discarding()).whenComplete((res, e) -> {
                long us = (System.nanoTime() - t0) / 1000;
                answered.incrementAndGet();
                synchronized (latencies) {
                    latencies.add(us);
                }
                if (e != null) {
                    error(r.uri().getPath() + ": " + e);
                } else if (res.statusCode() / 100 != 2) {
                    error(r.uri().getPath() + " answered " + res.statusCode());
                }
            });
        }, 0, 1_000_000 / rps, TimeUnit.MICROSECONDS);

        List<String> samples = new ArrayList<>();
        long began = System.nanoTime();
        long lastLines = 0, lastLost = 0, lastErrors = 0, lastReads = 0;
        for (int t = every; t <= seconds; t += every) {
            long wake = began + TimeUnit.SECONDS.toNanos(t);
            Thread.sleep(Math.max(0, (wake - System.nanoTime()) / 1_000_000));
            long[] lat;
            synchronized (latencies) {
                lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
                latencies.clear();
            }
            double p99 = lat.length == 0 ? 0 : lat[Math.min(lat.length - 1, (int) Math.ceil(lat.length * 0.99) - 1)] / 1000.0;
            long l = clients.stream().mapToLong(c -> c.lines.get()).sum();
            long lo = clients.stream().mapToLong(c -> c.lost.get()).sum();
            long er = errors.get(), rd = answered.get();
            samples.add(String.format("{\"t\":%d,\"lines\":%d,\"lost\":%d,\"reads\":%d,\"errors\":%d,\"p99_ms\":%.1f,%s}",
                    t, l - lastLines, lo - lastLost, rd - lastReads, er - lastErrors, p99, proc(pid)));
            System.err.println("drills: soak: " + samples.getLast());
            lastLines = l;
            lastLost = lo;
            lastErrors = er;
            lastReads = rd;
        }
        ending = true;
        timer.shutdownNow();
        clients.forEach(ConsoleReader::close);
        long silent = clients.stream().filter(c -> c.lines.get() == 0).count();
        List<String> quoted;
        synchronized (firstErrors) {
            quoted = firstErrors.stream().map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList();
        }
        System.out.printf("{\"clients\":%d,\"rps\":%d,\"samples\":%s,\"silent_clients\":%d,\"first_errors\":%s}%n",
                count, rps, samples, silent, quoted);
        System.exit(0);
    }

    /** RSS in MB, threads and open descriptors of the daemon, as bench/lib/probe.py `proc` reads them. */
    static String proc(long pid) throws Exception {
        long rssKb = 0, threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKb = Long.parseLong(line.split("\\s+")[1]);
            } else if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.split("\\s+")[1]);
            }
        }
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = s.count();
        }
        return String.format("\"rss_mb\":%.1f,\"threads\":%d,\"fds\":%d", rssKb / 1024.0, threads, fds);
    }
}
