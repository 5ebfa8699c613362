package dev.lightd.it;

import dev.lightd.TestPorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One real daemon ({@link DaemonProcess}) for a whole test class, in the manner of Testcontainers'
 * extension: the class declares it, JUnit starts it before the class's first {@code @BeforeAll}
 * and closes it after its last {@code @AfterAll}, even when a test or the set-up failed.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final DaemonExtension daemon = DaemonExtension.withDefaults()
 *         .withConfig(cfg -&gt; cfg.putObject("monitoring").put("console_stall_timeout_ms", 8000))
 *         .withTestImages().withMcStandinImage().withMcctlKey().withVolume();
 * static final ApiClient api = daemon.api();
 * </pre>
 *
 * The ports are chosen when the extension is made, so {@link #api()} can be called in a static
 * initialiser; what the daemon makes itself (the mcctl key, the volume) is there from the class's
 * {@code @BeforeAll} on. Before the daemon is closed, the containers and mcctl servers it still
 * has are removed through its own API, so a test that failed half-way leaves no container behind.
 * When a test fails, the daemon's log is kept in {@code target/daemon-logs/} (bin/test prints the
 * end of each after a failed run).
 */
public final class DaemonExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    /** A volume made for the class: its id, its first 8 characters (the routes take both) and its folder. */
    public record Volume(String id, Path path) {
        public String prefix() {
            return id.substring(0, 8);
        }
    }

    private final int port = TestPorts.free();
    private final int mcctlPort = TestPorts.free();
    private final List<Consumer<ObjectNode>> configChanges = new ArrayList<>();
    private boolean testImages;
    private boolean mcStandin;
    private boolean mcctlKey;
    private String mcctlKeyName;
    private boolean volume;
    private final Map<String, String> env = new HashMap<>();

    private String owner;
    private DaemonProcess process;
    private String key;
    private Volume createdVolume;

    private DaemonExtension() {}

    /** The daemon as {@link DaemonProcess#start()} makes it: free ports, a fresh data folder, the test token. */
    public static DaemonExtension withDefaults() {
        return new DaemonExtension();
    }

    /** A change to config.json before the start (as {@link DaemonProcess#start(Consumer)} takes); several apply in order. */
    public DaemonExtension withConfig(Consumer<ObjectNode> change) {
        configChanges.add(change);
        return this;
    }

    /** An environment variable for the daemon process, such as {@code LIGHTD_LOG_LEVEL=DEBUG}. */
    public DaemonExtension withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Builds the busybox and bash images ({@link TestImages}) before the start. */
    public DaemonExtension withTestImages() {
        testImages = true;
        return this;
    }

    /** Builds the Minecraft stand-in ({@link McStandinImage}) and makes it the daemon's {@code mcctl.image}. */
    public DaemonExtension withMcStandinImage() {
        mcStandin = true;
        return this;
    }

    /** Creates an mcctl API key with the CLI after the start; {@link #mcctl()} sends it. */
    public DaemonExtension withMcctlKey() {
        mcctlKey = true;
        return this;
    }

    /** As {@link #withMcctlKey()}, with {@code --name NAME}. */
    public DaemonExtension withMcctlKey(String name) {
        mcctlKeyName = name;
        return withMcctlKey();
    }

    /** Creates one volume through the API after the start ({@link #volume()}). */
    public DaemonExtension withVolume() {
        volume = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (owner != null) {
            return; // a @Nested class of the owner: it shares the owner's daemon
        }
        owner = context.getUniqueId();
        if (testImages) {
            TestImages.ensureBuilt();
        }
        String mcImage = mcStandin ? McStandinImage.ensureBuilt() : null;
        process = DaemonProcess.start(port, mcctlPort, cfg -> {
            configChanges.forEach(change -> change.accept(cfg));
            if (mcImage != null) {
                cfg.withObjectProperty("mcctl").put("image", mcImage);
            }
        }, env);
        if (mcctlKey) {
            key = mcctlKeyName == null ? process.cli("", "mcctl", "key", "create")
                    : process.cli("", "mcctl", "key", "create", "--name", mcctlKeyName);
        }
        if (volume) {
            ApiClient.Response res = api().post("/volumes", null);
            if (res.status() != 201) {
                throw new IllegalStateException("POST /volumes answered " + res);
            }
            createdVolume = new Volume(res.json().get("volume_id").asText(), Path.of(res.json().get("path").asText()));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!context.getUniqueId().equals(owner)) {
            return;
        }
        owner = null;
        if (process == null) {
            return; // it never started
        }
        try {
            removeWhatItRuns();
        } finally {
            process.close();
            process = null;
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (process == null) {
            return;
        }
        try {
            Path dir = Files.createDirectories(Path.of("target", "daemon-logs"));
            String name = context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName()
                    .replaceAll("[^A-Za-z0-9_.-]", "");
            Path file = dir.resolve(name + ".log");
            for (int run = 2; Files.exists(file); run++) {
                file = dir.resolve(name + ".run" + run + ".log"); // a rerun keeps the first failure's log
            }
            Files.writeString(file, process.log());
        } catch (IOException | RuntimeException e) {
            System.err.println("DaemonExtension: could not keep the daemon's log: " + e);
        }
    }

    /** Best effort: a test may have changed the token or the auth mode, or killed the daemon. */
    private void removeWhatItRuns() {
        try {
            ApiClient.Response containers = api().get("/containers");
            if (containers.status() == 200) {
                for (JsonNode c : containers.json().path("containers")) {
                    api().delete("/containers/" + c.path("internal_id").asText());
                }
            }
            if (key != null) {
                ApiClient mc = mcctl();
                ApiClient.Response servers = mc.get("/api/servers");
                if (servers.status() == 200) {
                    for (JsonNode s : servers.json().path("servers")) {
                        mc.delete("/api/servers/" + s.path("name").asText() + "?force=true");
                    }
                }
            }
        } catch (RuntimeException e) {
            System.err.println("DaemonExtension: could not remove the daemon's containers: " + e);
        }
    }

    private DaemonProcess running() {
        if (process == null) {
            throw new IllegalStateException("the daemon is not running: register the DaemonExtension in a static"
                    + " @RegisterExtension field and use it from @BeforeAll or a test on");
        }
        return process;
    }

    /** The process, for what this class does not pass on. */
    public DaemonProcess process() {
        return running();
    }

    /** A client of the Lightd face with the master token; usable before the start (the port is known). */
    public ApiClient api() {
        return api(DaemonProcess.TOKEN);
    }

    /** A client of the Lightd face with another token (null: none). */
    public ApiClient api(String token) {
        return new ApiClient(baseUrl(), token);
    }

    /** A client of the mcctl face with the key {@link #withMcctlKey()} made. */
    public ApiClient mcctl() {
        return mcctl(mcctlKey());
    }

    /** A client of the mcctl face with this key (null: none). */
    public ApiClient mcctl(String apiKey) {
        ApiClient client = new ApiClient("http://127.0.0.1:" + mcctlPort, null);
        return apiKey == null ? client : client.withHeader("X-API-Key", apiKey);
    }

    public String mcctlKey() {
        running();
        if (key == null) {
            throw new IllegalStateException("no mcctl key: declare the extension withMcctlKey()");
        }
        return key;
    }

    public Volume volume() {
        running();
        if (createdVolume == null) {
            throw new IllegalStateException("no volume: declare the extension withVolume()");
        }
        return createdVolume;
    }

    public int port() {
        return port;
    }

    public int mcctlPort() {
        return mcctlPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String token() {
        return DaemonProcess.TOKEN;
    }

    public Path dataDir() {
        return running().dataDir();
    }

    public long pid() {
        return running().pid();
    }

    public String log() {
        return running().log();
    }

    public String cli(String stdin, String... args) {
        return running().cli(stdin, args);
    }

    /** SIGKILL, as a crash would ({@link DaemonProcess#kill9()}). */
    public void kill9() {
        running().kill9();
    }

    /** Starts it again on the same data folder and ports ({@link DaemonProcess#restart()}). */
    public void restart() {
        running().restart();
    }
}
