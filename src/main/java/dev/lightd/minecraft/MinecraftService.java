package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import dev.lightd.config.LightdConfig.McctlConfig;
import dev.lightd.config.LiveConfig;
import dev.lightd.container.EngineWatch;
import dev.lightd.container.ConsoleEvent;
import dev.lightd.container.ConsoleHub;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.ContainerSpec;
import dev.lightd.runtime.ContainerState;
import dev.lightd.runtime.EngineUnavailableException;
import dev.lightd.runtime.ImageNotFoundException;
import dev.lightd.store.MinecraftStore;
import dev.lightd.store.MinecraftStore.ServerRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minecraft servers as containers mc-<name> of the configured image, on the same runtime, store
 * and console hub as the Lightd face. A background loop keeps each server's state live, so the
 * read routes answer from memory.
 */
public final class MinecraftService implements AutoCloseable, EngineWatch.Reconciler {

    private static final Logger log = LoggerFactory.getLogger(MinecraftService.class);
    static final int RCON_PORT = 25575;
    private static final Duration REFRESH = Duration.ofSeconds(2);
    private static final Duration PLAYERS_REFRESH = Duration.ofSeconds(5);
    private static final Pattern JOINED = Pattern.compile("\\]: (\\S+) joined the game");
    private static final Pattern LEFT = Pattern.compile("\\]: (\\S+) left the game");

    private final ContainerRuntime runtime;
    private final MinecraftStore store;
    private final LiveConfig config;
    private final Clock clock;
    private final Path worldsDir;
    private final Map<String, McServer> servers = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Thread refresher;
    private volatile boolean closed;

    public MinecraftService(ContainerRuntime runtime, MinecraftStore store, LiveConfig config, Clock clock, Path dataDir) {
        this.runtime = runtime;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.worldsDir = dataDir.resolve("worlds");
        java.util.Set<String> wanted = store.wantedRunning();
        for (ServerRow row : store.servers()) {
            McServer s = new McServer(row);
            s.wanted = wanted.contains(row.name());
            servers.put(row.name(), s);
        }
        this.refresher = Thread.ofVirtual().name("mc-refresh").start(this::refreshLoop);
    }

    public Path worldsDir() {
        return worldsDir;
    }

    /** What a route shows of a server. */
    public record ServerView(String name, String container, String status, String health, String type, String version,
                             String memory, java.time.Instant startedAt, Players players,
                             dev.lightd.runtime.StatsSample stats, String world, Long worldSize) {}

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
        McServer s = new McServer(row);
        servers.put(name, s);
        Optional<String> holder = store.lock(world, s.container(), name);
        if (holder.isPresent()) {
            store.deleteServer(name, s.container());
            servers.remove(name);
            throw ServiceException.conflict("World '" + world + "' is already locked by " + holder.get());
        }
        s.lock.lock();
        try {
            s.row = s.row.withWorld(world);
            recreate(s);
            if (req.autoStart()) {
                startLocked(s);
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

    /** (Re)creates the engine container from the row: env, world mount, RCON on 127.0.0.1 only. */
    private void recreate(McServer s) {
        McctlConfig mc = config.get().mcctl();
        ServerRow r = s.row;
        runtime.remove(s.container());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("EULA", "TRUE");
        env.put("TYPE", r.type());
        env.put("VERSION", r.version());
        env.put("MEMORY", r.memory());
        env.put("LEVEL", r.world());
        if (r.seed() != null && !r.seed().isBlank()) {
            env.put("SEED", r.seed());
        }
        env.put("ENABLE_RCON", "true");
        env.put("RCON_PORT", Integer.toString(RCON_PORT));
        env.put("RCON_PASSWORD", r.rconPassword());
        Path worldDir = worldsDir.resolve(r.world());
        try {
            Files.createDirectories(worldDir);
        } catch (IOException e) {
            throw ServiceException.internal("Cannot create world folder: " + e.getMessage(), e);
        }
        ContainerSpec spec = new ContainerSpec(s.container(), mc.image(), null, List.of(), null, env,
                Map.of("managed-by", "lightd", "lightd.mcctl", s.name),
                List.of(new ContainerSpec.Mount(worldDir.toString(), "/data/" + r.world(), false)),
                ServerSettings.containerLimit(r.memory()), 0,
                List.of(new ContainerSpec.PortBinding("127.0.0.1", r.rconPort(), RCON_PORT, "tcp")),
                "lightd_network");
        String id;
        try {
            id = runtime.create(spec);
        } catch (ImageNotFoundException e) {
            throw ServiceException.internal("Failed to create Docker container: image not found", e);
        }
        s.row = s.row.withContainerId(id);
        store.updateServer(s.row);
        s.status = "created";
    }

    public void delete(String name, boolean force) {
        McServer s = find(name);
        runtime.ping();
        s.lock.lock();
        try {
            if (s.running() && !force) {
                throw ServiceException.conflict("Server '" + s.name + "' is running; stop it first or use force=true");
            }
            unfollow(s);
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
                s.running() ? s.players : Players.NONE, s.running() ? s.stats : null, world(s), s.worldSize);
    }

    /** The world in use: the running container's LEVEL, else the one assigned for the next start. */
    private static String world(McServer s) {
        return s.running() ? s.env.getOrDefault("LEVEL", s.row.world()) : s.row.world();
    }

    public void start(String name) {
        locked(name, this::startLocked);
    }

    /** Runs an engine action on a server under its lock, after checking that the engine answers. */
    private void locked(String name, java.util.function.Consumer<McServer> action) {
        McServer s = find(name);
        runtime.ping();
        s.lock.lock();
        try {
            action.accept(s);
        } finally {
            s.lock.unlock();
        }
    }

    private void startLocked(McServer s) {
        want(s, true);
        if (s.running()) {
            return;
        }
        Optional<ContainerState> state = s.row.containerId() == null ? Optional.empty() : runtime.inspect(s.row.containerId());
        boolean worldChanged = state.map(st -> !s.row.world().equals(st.env().get("LEVEL"))).orElse(true);
        if (state.isEmpty() || worldChanged) {
            recreate(s);
        }
        unfollow(s);
        follow(s, s.row.containerId());
        runtime.start(s.row.containerId());
        s.status = "running";
        s.startedAt = clock.instant();
        s.console.publish(ConsoleEvent.state("starting"));
    }

    /** RCON "stop" when it answers (the world is saved), else SIGTERM; SIGKILL after the timeout. */
    public void stop(String name) {
        locked(name, this::stopLocked);
    }

    private void stopLocked(McServer s) {
        want(s, false);
        String id = s.row.containerId();
        if (id == null || !s.running()) {
            return;
        }
        int timeout = config.get().mcctl().stopTimeoutSeconds();
        boolean asked = false;
        try {
            rcon(s).command("stop");
            asked = true;
        } catch (IOException | RuntimeException e) {
            log.info("event=mc_rcon_stop_failed server={} error=\"{}\"", s.name, e.getMessage());
        }
        if (!asked) {
            runtime.stop(id, timeout);
        }
        try {
            runtime.waitForExit(id, false).get(timeout, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            runtime.kill(id, "SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException ignored) {
            // gone already
        }
        markStopped(s);
    }

    private void want(McServer s, boolean running) {
        if (s.wanted != running) {
            store.setWantedRunning(s.name, running);
            s.wanted = running;
        }
    }

    /**
     * On boot and whenever the engine is back: a server that should run but does not (the engine or
     * the daemon went down under it) is started again. One that failed to start stays as it is,
     * with the reason in the log.
     */
    @Override
    public void reconcile(boolean boot) {
        for (McServer s : servers.values()) {
            if (!s.wanted) {
                continue;
            }
            s.lock.lock();
            try {
                Optional<ContainerState> state = s.row.containerId() == null ? Optional.empty()
                        : runtime.inspect(s.row.containerId());
                if (state.map(ContainerState::running).orElse(false)) {
                    continue; // the refresh loop follows it
                }
                s.status = "exited";
                startLocked(s);
                log.info("event=mc_server_resumed server={} after={}", s.name, boot ? "daemon_start" : "engine_outage");
            } catch (RuntimeException e) {
                log.warn("event=mc_server_resume_failed server={} error=\"{}\"", s.name, e.getMessage());
            } finally {
                s.lock.unlock();
            }
        }
    }

    public void restart(String name) {
        locked(name, s -> {
            stopLocked(s);
            startLocked(s);
        });
    }

    /**
     * Runs a command over RCON; a server that is not running is a Conflict. A server that was just
     * started opens RCON only when it is ready: until then (at most mcctl.rcon_wait_seconds) we retry,
     * which also covers reconnecting after a restart.
     */
    public String exec(String name, String command) {
        McServer s = find(name);
        if (command == null || command.isBlank()) {
            throw ServiceException.badRequest("Missing command");
        }
        if (!s.running()) {
            throw ServiceException.conflict("Server '" + s.name + "' is not running");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(config.get().mcctl().rconWaitSeconds()).toNanos();
        while (true) {
            try {
                return rcon(s).command(command);
            } catch (RconClient.RconException e) {
                closeRcon(s);
                throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "RCON of server '" + s.name + "' refused: "
                        + e.getMessage(), e);
            } catch (IOException e) {
                closeRcon(s);
                if (!s.running() || System.nanoTime() > deadline) {
                    throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "RCON of server '" + s.name
                            + "' is not answering (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "interrupted", ie);
                }
            }
        }
    }

    private synchronized RconClient rcon(McServer s) throws IOException {
        if (s.rcon == null) {
            s.rcon = RconClient.connect("127.0.0.1", s.row.rconPort(), s.row.rconPassword(), Duration.ofSeconds(5));
        }
        return s.rcon;
    }

    private synchronized void closeRcon(McServer s) {
        if (s.rcon != null) {
            s.rcon.close();
            s.rcon = null;
        }
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

    private void follow(McServer s, String id) {
        s.followed = id;
        s.attachment = runtime.attach(id, line -> onLine(s, line), () -> { });
        s.statsStream = runtime.stats(id, sample -> s.stats = sample);
    }

    private void unfollow(McServer s) {
        if (s.attachment != null) {
            s.attachment.close();
            s.attachment = null;
        }
        if (s.statsStream != null) {
            try {
                s.statsStream.close();
            } catch (IOException ignored) {
                // ended
            }
            s.statsStream = null;
        }
        s.followed = null;
        closeRcon(s);
    }

    private void onLine(McServer s, String line) {
        s.console.console(line);
        Matcher j = JOINED.matcher(line);
        if (j.find()) {
            s.players = s.players.joined(j.group(1));
        }
        Matcher l = LEFT.matcher(line);
        if (l.find()) {
            s.players = s.players.left(l.group(1));
        }
    }

    private void markStopped(McServer s) {
        unfollow(s);
        s.status = "exited";
        s.stats = null;
        s.players = Players.NONE;
        s.console.publish(ConsoleEvent.state("exit"));
    }

    private void refreshLoop() {
        while (!closed) {
            try {
                Thread.sleep(REFRESH);
                for (McServer s : servers.values()) {
                    refresh(s);
                }
            } catch (InterruptedException e) {
                return;
            } catch (EngineUnavailableException e) {
                // try again on the next round
            } catch (RuntimeException e) {
                log.warn("event=mc_refresh_failed error=\"{}\"", e.getMessage());
            }
        }
    }

    /** One engine inspect per server per round, never per request; RCON "list" every few seconds. */
    private void refresh(McServer s) {
        if (!s.lock.tryLock()) {
            return; // an action is under way
        }
        try {
            String id = s.row.containerId();
            Optional<ContainerState> state = id == null ? Optional.empty() : runtime.inspect(id);
            if (state.isEmpty()) {
                if (s.followed != null) {
                    markStopped(s);
                }
                s.status = "exited";
                return;
            }
            ContainerState st = state.get();
            s.env = st.env();
            s.health = st.health();
            boolean wasRunning = s.running();
            s.status = st.status();
            s.worldSize = dev.lightd.fs.FolderTree.size(worldsDir.resolve(world(s)));
            if (st.running()) {
                s.startedAt = st.startedAt();
                if (s.followed == null) {
                    for (String line : runtime.tail(id, 200)) {
                        s.console.console(line);
                    }
                    follow(s, id);
                }
                long now = System.nanoTime();
                if (now - s.playersRefreshedAt > PLAYERS_REFRESH.toNanos()) {
                    s.playersRefreshedAt = now;
                    refreshPlayers(s);
                }
            } else if (wasRunning || s.followed != null) {
                markStopped(s);
                s.status = st.status();
            }
        } finally {
            s.lock.unlock();
        }
    }

    private void refreshPlayers(McServer s) {
        try {
            Players p = Players.parse(rcon(s).command("list"));
            if (p != null) {
                s.players = p;
            }
        } catch (IOException | RuntimeException e) {
            closeRcon(s);
            s.playersRefreshedAt = 0; // RCON not up yet (a starting server): ask again next round
        }
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
        closed = true;
        refresher.interrupt();
        servers.values().forEach(this::unfollow);
    }
}
