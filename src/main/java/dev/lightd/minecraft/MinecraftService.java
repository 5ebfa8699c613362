package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import dev.lightd.config.LiveConfig;
import dev.lightd.console.ConsoleHub;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.Hardening;
import dev.lightd.runtime.StatsSample;
import dev.lightd.store.MinecraftStore;
import dev.lightd.store.MinecraftStore.ServerRow;
import dev.lightd.supervisor.SupervisedServer;
import dev.lightd.supervisor.Supervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Minecraft servers as containers mc-NAME of the configured image, supervised like the Lightd
 * face's containers: what the routes ask of them. Power actions wait for their result (the mcctl
 * API answers when the server started or stopped).
 */
public final class MinecraftService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MinecraftService.class);

    private final ContainerRuntime runtime;
    private final MinecraftStore store;
    private final LiveConfig config;
    private final Clock clock;
    private final Supervisor supervisor;
    private final WorldFolders worlds;
    private final ServerFolders serverFolders;
    private final Map<String, McServer> servers = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final McContainer containers;
    private final McRcon rcon = new McRcon();
    private final McRefresher refresher;
    private final McOptions options;
    private final McPlayers players;

    public MinecraftService(ContainerRuntime runtime, MinecraftStore store, LiveConfig config, Clock clock,
                            Supervisor supervisor, WorldFolders worlds, ServerFolders serverFolders,
                            Duration refreshEvery,
                            Supplier<Hardening> hardening) {
        this.runtime = runtime;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.supervisor = supervisor;
        this.worlds = worlds;
        this.serverFolders = serverFolders;
        this.containers = new McContainer(runtime, store, config, worlds.dir(), serverFolders, hardening);
        for (ServerRow row : store.servers()) {
            servers.put(row.name(), supervise(row));
        }
        worlds.removeResetLeftovers();
        this.options = new McOptions(this, store, worlds);
        this.players = new McPlayers(this, options, new PlayerFiles(serverFolders), clock);
        this.refresher = new McRefresher(rcon, worlds.dir(), servers::values, refreshEvery,
                refreshEvery.multipliedBy(5).dividedBy(2));
    }

    private McServer supervise(ServerRow row) {
        return new McServer(row, supervisor, store, containers, rcon, clock,
                () -> Duration.ofSeconds(config.get().mcctl().stopTimeoutSeconds()));
    }

    /** Whitelist, operators and bans of the servers. */
    public McPlayers players() {
        return players;
    }

    /** Settings and world reset of the servers. */
    public McOptions options() {
        return options;
    }

    /** What a route shows of a server. */
    public record ServerView(String name, String container, String status, String health, String type, String version,
                             String memory, Instant startedAt, Players players, StatsSample stats, String world,
                             Long worldSize) {}

    /** crashOnCleanExit: an exit with code 0 by itself counts as a crash (restarted); off by default. */
    public record NewServer(String name, String type, String version, String memory, String seed, String world,
                            boolean autoStart, boolean crashOnCleanExit) {}

    public ServerView create(NewServer req) {
        String name = McNames.server(req.name(), "name");
        // absent or "" is the server's own world; anything else (a lone newline too) must be a name
        String world = req.world() == null || req.world().isEmpty() ? name : McNames.world(req.world(), "world");
        if (servers.containsKey(name)) {
            throw ServiceException.conflict("Server '" + name + "' already exists");
        }
        ServerSettings settings = ServerSettings.of(req.type(), req.version(), req.memory(), req.seed());
        worlds.requireRoom("creating a server");
        runtime.ping();
        boolean newWorld = worlds.ensure(world, settings.seed());
        ServerRow row = new ServerRow(name, null, settings.type(), settings.version(), settings.memory(),
                settings.seed(), world, freePort(), HexFormat.of().formatHex(randomBytes()),
                clock.instant().getEpochSecond(), false, req.crashOnCleanExit());
        if (!store.insertServer(row)) {
            throw ServiceException.conflict("Server '" + name + "' already exists");
        }
        String container = McNames.container(name);
        MinecraftStore.LockAttempt lock = store.lock(world, container, name, null);
        if (!lock.locked()) {
            store.deleteServer(name, container);
            throw ServiceException.conflict(lock.worldExists()
                    ? "World '" + world + "' is already locked by " + lock.heldBy().orElseThrow()
                    : "World '" + world + "' was deleted while the server was being created");
        }
        McServer s = supervise(row);
        servers.put(name, s);
        try {
            await(s.server().submit("create", p -> {
                s.recreateContainer();
                if (req.autoStart()) {
                    p.start();
                }
            }));
        } catch (RuntimeException e) {
            servers.remove(name);
            supervisor.release(s.server(), "server creation failed");
            store.deleteServer(name, container);
            runtime.remove(container);
            serverFolders.delete(name);
            if (newWorld) {
                worlds.forget(world);
            }
            throw e;
        }
        log.info("event=mc_server_created server={} world={}", name, world);
        return view(s);
    }

    private byte[] randomBytes() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    /**
     * Deletes a server: its supervision ends first (no action queued before can start it again),
     * then its container and its row go.
     */
    public void delete(String name, boolean force) {
        McServer s = find(name);
        runtime.ping();
        if (s.running() && !force) {
            throw ServiceException.conflict("Server '" + s.name() + "' is running; stop it first or use force=true");
        }
        if (!servers.remove(s.name(), s)) {
            throw ServiceException.notFound("Server '" + name + "' not found");
        }
        supervisor.release(s.server(), "server deleted");
        rcon.close(s);
        runtime.remove(s.container());
        store.deleteServer(s.name(), s.container());
        serverFolders.delete(s.name());
        log.info("event=mc_server_deleted server={}", s.name());
    }

    public List<ServerView> list() {
        return servers.values().stream().sorted(Comparator.comparing(McServer::name)).map(this::view).toList();
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
        Map<String, String> env = s.env();
        ServerRow row = s.row();
        SupervisedServer server = s.server();
        return new ServerView(s.name(), s.container(), s.status(), s.health(),
                env.getOrDefault("TYPE", row.type()), env.getOrDefault("VERSION", row.version()),
                env.getOrDefault("MEMORY", row.memory()), server.startedAt(), s.players(), server.stats(),
                s.world(), s.worldSize());
    }

    public void start(String name) {
        McServer s = find(name);
        runtime.ping();
        await(s.server().submit("start", SupervisedServer.Power::start));
    }

    public void stop(String name) {
        McServer s = find(name);
        runtime.ping();
        await(s.server().submit("stop", p -> {
            p.stop();
            s.releaseOtherWorlds();
        }));
    }

    public void restart(String name) {
        McServer s = find(name);
        runtime.ping();
        await(s.server().submit("restart", p -> p.restart(s::releaseOtherWorlds)));
    }

    /** Brings the server up on the world assigned to it: started, or restarted when it runs another. */
    void startOnAssignedWorld(String name) {
        McServer s = find(name);
        runtime.ping();
        await(s.server().submit("start-on-world", p -> {
            if (s.running() && !s.world().equals(s.row().world())) {
                p.restart(s::releaseOtherWorlds);
            } else {
                p.start();
            }
        }));
    }

    /** Waits for a power action's end; its refusal or failure is thrown as it was. */
    static void await(CompletableFuture<Void> done) {
        try {
            done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
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

    /** Runs a command over RCON; a server that is not running is a Conflict. */
    public String exec(String name, String command) {
        McServer s = find(name);
        if (command == null || command.isBlank()) {
            throw ServiceException.badRequest("Missing command");
        }
        if (command.indexOf('\0') >= 0 || command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            // RCON ends a packet's text at NUL and the server reads one command: refuse rather than cut
            throw ServiceException.badRequest("Invalid command: one Minecraft command, no newline, carriage return"
                    + " or NUL");
        }
        if (command.getBytes(StandardCharsets.UTF_8).length > RconClient.MAX_COMMAND_BYTES) {
            throw ServiceException.badRequest("Command too long: RCON takes at most " + RconClient.MAX_COMMAND_BYTES
                    + " bytes");
        }
        if (!s.running()) {
            throw ServiceException.conflict("Server '" + s.name() + "' is not running");
        }
        return rcon.exec(s, command, Duration.ofSeconds(config.get().mcctl().rconWaitSeconds()));
    }

    /** Runs one command the daemon composed of checked parts; the server must be running. */
    String rcon(McServer s, String command) {
        if (!s.running()) {
            throw ServiceException.conflict("Server '" + s.name() + "' is not running");
        }
        return rcon.exec(s, command, Duration.ofSeconds(config.get().mcctl().rconWaitSeconds()));
    }

    public ConsoleHub console(String name) {
        return find(name).server().console();
    }

    /** The last lines of the console; for a server not followed, from the engine's log. */
    public List<String> tail(String name, int lines) {
        McServer s = find(name);
        String engineId = s.server().engineId();
        if (!s.server().followed() && engineId != null) {
            return runtime.tail(engineId, lines);
        }
        return s.server().console().historyLines(lines);
    }

    McServer find(String name) {
        McServer s = servers.get(McNames.server(name));
        if (s == null) {
            throw ServiceException.notFound("Server '" + name + "' not found");
        }
        return s;
    }

    /** Assigns a world to a server's configuration; takes effect at its next start. */
    void setWorld(String serverName, String world) {
        find(serverName).assignWorld(world);
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
    }
}
