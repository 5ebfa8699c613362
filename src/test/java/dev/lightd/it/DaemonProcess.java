package dev.lightd.it;

import dev.lightd.TestPorts;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import dev.lightd.fs.FolderTree;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The real daemon, as an operator runs it: the built jar in its own JVM, on free ports, with a
 * temporary data folder. Tests drive it over HTTP and can kill -9 it and start it again on the
 * same data.
 */
public final class DaemonProcess implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The master token every test daemon is given. */
    public static final String TOKEN = "lightd_" + "0123456789abcdef0123456789abcdef";

    private final Path dataDir;
    private final int port;
    private final int mcctlPort;
    private final String token;
    private Process process;
    private Path logFile;
    private Map<String, String> env = Map.of();

    private DaemonProcess(Path dataDir, int port, int mcctlPort, String token) {
        this.dataDir = dataDir;
        this.port = port;
        this.mcctlPort = mcctlPort;
        this.token = token;
    }

    /** Writes a config (defaults plus the given changes) into a fresh data folder and starts the daemon. */
    public static DaemonProcess start(Consumer<ObjectNode> configChanges) {
        return start(TestPorts.free(), TestPorts.free(), configChanges);
    }

    /** As {@link #start(Consumer)}, on ports chosen beforehand ({@link DaemonExtension} knows them before the start). */
    static DaemonProcess start(int port, int mcctlPort, Consumer<ObjectNode> configChanges) {
        return start(port, mcctlPort, configChanges, Map.of());
    }

    /** As above, with environment variables for the daemon (such as LIGHTD_LOG_LEVEL). */
    static DaemonProcess start(int port, int mcctlPort, Consumer<ObjectNode> configChanges, Map<String, String> env) {
        try {
            return startIn(Files.createTempDirectory("lightd-it-"), port, mcctlPort, configChanges, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As {@link #start(Consumer)}, in a data folder the test made (a small tmpfs mounted there, say);
     * {@link #close()} empties it and tries to remove it, so a mount point must be unmounted after.
     */
    public static DaemonProcess startIn(Path dataDir, Consumer<ObjectNode> configChanges) {
        return startIn(dataDir, TestPorts.free(), TestPorts.free(), configChanges, Map.of());
    }

    private static DaemonProcess startIn(Path dataDir, int port, int mcctlPort, Consumer<ObjectNode> configChanges,
                                         Map<String, String> env) {
        try {
            String token = TOKEN;
            ObjectNode config = MAPPER.createObjectNode();
            config.putObject("server").put("host", "127.0.0.1").put("port", port).put("mcctl_port", mcctlPort);
            config.putObject("authorization").put("enabled", true).put("token", token);
            configChanges.accept(config);
            Files.writeString(dataDir.resolve("config.json"), MAPPER.writeValueAsString(config));
            DaemonProcess daemon = new DaemonProcess(dataDir, port, mcctlPort, token);
            daemon.env = Map.copyOf(env);
            daemon.launch();
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DaemonProcess start() {
        return start(c -> {});
    }

    /** Starts the daemon again on the same data folder and ports (after {@link #kill9()}). */
    public void restart() {
        launch();
    }

    private void launch() {
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            logFile = Files.createTempFile(dataDir.getParent(), "lightd-it-log-", ".txt");
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(),
                    "serve", "--data", dataDir.toString()));
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().putAll(env);
            process = builder.start();
            waitUntilUp();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void waitUntilUp() {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(120); // a loaded 2-core machine has taken over 60 s
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("daemon exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<Void> res = client.send(HttpRequest.newBuilder(
                                URI.create(baseUrl() + "/api/v1/public/ping")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (res.statusCode() == 200) {
                    return;
                }
            } catch (IOException ignored) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        process.destroyForcibly(); // a daemon that never answered must not outlive the test
        throw new IllegalStateException("daemon did not answer within 120 s:\n" + log());
    }

    static Path jar() {
        String prop = System.getProperty("lightd.jar");
        Path jar = prop != null ? Path.of(prop) : Path.of("target/lightd.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the daemon jar " + jar + " is missing: run mvn package first");
        }
        return jar;
    }

    /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String log() {
        try {
            return logFile == null ? "" : Files.readString(logFile);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** The daemon's process id, for tests that set its resource limits. */
    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    public int port() {
        return port;
    }

    public int mcctlPort() {
        return mcctlPort;
    }

    public String token() {
        return token;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public ApiClient api() {
        return new ApiClient(baseUrl(), token);
    }

    public ApiClient api(String otherToken) {
        return new ApiClient(baseUrl(), otherToken);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // the data folder goes (volumes, worlds); the log beside it stays for a failure's post-mortem
        try {
            FolderTree.delete(dataDir);
        } catch (IOException e) {
            System.err.println("could not remove " + dataDir + ": " + e.getMessage());
        }
    }

    /** Runs a CLI command against this daemon's data folder; answers its stdout (stdin is given). */
    public String cli(String stdin, String... args) {
        try {
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(javaBin, "-jar", jar().toString()));
            cmd.addAll(List.of(args));
            cmd.addAll(List.of("--data", dataDir.toString()));
            Process p = new ProcessBuilder(cmd).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes());
            String err = new String(p.getErrorStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("lightd " + String.join(" ", args) + " failed: " + out + err);
            }
            return out.trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public ApiClient mcctl(String apiKey) {
        ApiClient client = new ApiClient("http://127.0.0.1:" + mcctlPort, null);
        return apiKey == null ? client : client.withHeader("X-API-Key", apiKey);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
