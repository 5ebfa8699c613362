package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import dev.lightd.config.LiveConfig;
import dev.lightd.container.ConsoleEvent;
import dev.lightd.container.ConsoleHub;
import dev.lightd.container.EngineWatch;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.StatsSample;
import dev.lightd.store.MinecraftStore;
import dev.lightd.store.MinecraftStore.ServerRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Minecraft servers as containers mc-<name> of the configured image, on the same runtime, store
 * and console hub as the Lightd face: what the routes ask of them. The container itself is
 * {@link McContainer}'s, power {@link McPower}'s, the live state {@link McRefresher}'s.
 */
public final class MinecraftService implements AutoCloseable, EngineWatch.Reconciler {

    private static final Logger log = LoggerFactory.getLogger(MinecraftService.class);

    private final ContainerRuntime runtime;
    private final MinecraftStore store;
    private final LiveConfig config;
    private final Clock clock;
    private final Path worldsDir;
    private final Map<String, McServer> servers = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final McContainer containers;
    private final McRcon rcon = new McRcon();
    private final McFollower follower;
    private final McPower power;
    private final McRefresher refresher;

    public MinecraftService(ContainerRuntime runtime, MinecraftStore store, LiveConfig config, Clock clock, Path dataDir) {
        this.runtime = runtime;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.worldsDir = dataDir.resolve("worlds");
        Set<String> wanted = store.wantedRunning();
        for (ServerRow row : store.servers()) {
            McServer s = new McServer(row, clock);
            s.wanted = wanted.contains(row.name());
            servers.put(row.name(), s);
        }
        this.containers = new McContainer(runtime, store, config, worldsDir);
        this.follower = new McFollower(runtime, rcon);
        this.power = new McPower(runtime, store, config, clock, containers, follower, rcon);
        this.refresher = new McRefresher(runtime, containers, follower, rcon, power, clock, worldsDir, servers::values);
    }

    public Path worldsDir() {
        return worldsDir;
    }

    /** What a route shows of a server. */
    public record ServerView(String name, String container, String status, String health, String type, String version,
                             String memory, Instant startedAt, Players players, StatsSample stats, String world,
                             Long worldSize) {}

    public record NewServer(String name, String type, String version, String memory, String seed, String world,
                            boolean autoStart) {}

    public ServerView create(NewServer req, WorldService worlds) {
        String name = McNames.server(req.name());
        String world = req.world() == null || req.world().isBlank() ? name : McNames.world(req.world());
        if (servers.containsKey(name)) {
            throw ServiceException.conflict("Server '" + name + "' already exists");
        }
        ServerSettings settings = ServerSettings.of(req.type(), req.version(), req.memory(), req.seed());
        runtime.ping();
        boolean newWorld = worlds.ensure(world, settings.seed());
        ServerRow row = new ServerRow(name, null, settings.type(), settings.version(), settings.memory(),
                settings.seed(), world, freePort(), HexFormat.of().formatHex(randomBytes()), clock.instant().getEpochSecond());
        if (!store.insertServer(row)) {
            throw ServiceException.conflict("Server '" + name + "' already exists");
        }
        McServer s = new McServer(row, clock);
        servers.put(name, s);
        Optional<String> holder = store.lock(world, s.container(), name, null);
        if (holder.isPresent()) {
            store.deleteServer(name, s.container());
            servers.remove(name);
            throw ServiceException.conflict("World '" + world + "' is already locked by " + holder.get());
        }
        s.lock.lock();
        try {
            s.row = s.row.withWorld(world);
            containers.recreate(s);
            if (req.autoStart()) {
                power.start(s);
            }
        } catch (RuntimeException e) {
            servers.remove(name);
            store.deleteServer(name, s.container());
            runtime.remove(s.container());
            if (newWorld) {
                worlds.forget(world);
            }
            throw e;
        } finally {
            s.lock.unlock();
        }
        log.info("event=mc_server_created server={} world={}", name, world);
        return view(s);
    }

    private byte[] randomBytes() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    public void delete(String name, boolean force) {
        McServer s = find(name);
        runtime.ping();
        s.lock.lock();
        try {
            if (s.running() && !force) {
                throw ServiceException.conflict("Server '" + s.name + "' is running; stop it first or use force=true");
            }
            follower.unfollow(s);
            runtime.remove(s.container());
            store.deleteServer(s.name, s.container());
            servers.remove(s.name);
            s.console.publish(ConsoleEvent.state("exit"));
            s.console.closeAll("server deleted");
        } finally {
            s.lock.unlock();
        }
    }

    public List<ServerView> list() {
        return servers.values().stream().sorted(Comparator.comparing(s -> s.name)).map(this::view).toList();
    }

    public ServerView get(String name) {
        return view(find(name));
    }

    public boolean exists(String name) {
        return servers.containsKey(McNames.server(name));
    }

    public boolean isRunning(String name) {
        McServer s = servers.get(McNames.server(name));
        return s != null && s.running();
    }

    private ServerView view(McServer s) {
        Map<String, String> env = s.env;
        return new ServerView(s.name, s.container(), s.status, s.health,
                env.getOrDefault("TYPE", s.row.type()), env.getOrDefault("VERSION", s.row.version()),
                env.getOrDefault("MEMORY", s.row.memory()), s.running() ? s.startedAt : null,
                s.running() ? s.players : Players.NONE, s.running() ? s.stats : null, s.world(), s.worldSize);
    }

    public void start(String name) {
        locked(name, power::start);
    }

    public void stop(String name) {
        locked(name, power::stop);
    }

    public void restart(String name) {
        locked(name, power::restart);
    }

    /** Brings the server up on the world assigned to it: started, or restarted when it runs another. */
    void startOnAssignedWorld(String name) {
        locked(name, s -> {
            if (s.running() && !s.world().equals(s.row.world())) {
                power.restart(s);
            } else {
                power.start(s);
            }
        });
    }

    /** The container of a running server that has this world mounted, if one does. */
    Optional<String> runningOn(String world) {
        return servers.values().stream().filter(s -> s.running() && s.world().equals(world))
                .map(McServer::container).findFirst();
    }

    /** The world a running server has mounted (null when it is not running). */
    String worldInUse(String name) {
        McServer s = find(name);
        return s.running() ? s.world() : null;
    }

    /** Runs an engine action on a server under its lock, after checking that the engine answers. */
    private void locked(String name, Consumer<McServer> action) {
        McServer s = find(name);
        runtime.ping();
        s.lock.lock();
        try {
            action.accept(s);
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public void reconcile(boolean boot) {
        power.resume(servers.values(), boot);
    }

    /** Runs a command over RCON; a server that is not running is a Conflict. */
    public String exec(String name, String command) {
        McServer s = find(name);
        if (command == null || command.isBlank()) {
            throw ServiceException.badRequest("Missing command");
        }
        if (command.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > RconClient.MAX_COMMAND_BYTES) {
            throw ServiceException.badRequest("Command too long: RCON takes at most " + RconClient.MAX_COMMAND_BYTES
                    + " bytes");
        }
        if (!s.running()) {
            throw ServiceException.conflict("Server '" + s.name + "' is not running");
        }
        return rcon.exec(s, command, Duration.ofSeconds(config.get().mcctl().rconWaitSeconds()));
    }

    public ConsoleHub console(String name) {
        return find(name).console;
    }

    /** The last lines of the console; for a server not followed, from the engine's log. */
    public List<String> tail(String name, int lines) {
        McServer s = find(name);
        if (s.followed == null && s.row.containerId() != null) {
            return runtime.tail(s.row.containerId(), lines);
        }
        return s.console.historyLines(lines);
    }

    private McServer find(String name) {
        McServer s = servers.get(McNames.server(name));
        if (s == null) {
            throw ServiceException.notFound("Server '" + name + "' not found");
        }
        return s;
    }

    /** Assigns a world to a server's configuration; takes effect at its next start. */
    void setWorld(String serverName, String world) {
        McServer s = find(serverName);
        s.row = s.row.withWorld(world);
    }

    String containerName(String serverName) {
        return find(serverName).container();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw ServiceException.internal("No free port for RCON", e);
        }
    }

    public List<String> names() {
        return new ArrayList<>(servers.keySet());
    }

    @Override
    public void close() {
        refresher.close();
        servers.values().forEach(follower::unfollow);
    }
}
