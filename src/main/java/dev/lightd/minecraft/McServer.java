package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import dev.lightd.console.ConsoleEvent;
import dev.lightd.runtime.ContainerState;
import dev.lightd.store.MinecraftStore;
import dev.lightd.store.MinecraftStore.ServerRow;
import dev.lightd.supervisor.CrashPolicy;
import dev.lightd.supervisor.Notice;
import dev.lightd.supervisor.PowerState;
import dev.lightd.supervisor.Readiness;
import dev.lightd.supervisor.ServerDriver;
import dev.lightd.supervisor.StopStrategy;
import dev.lightd.supervisor.SupervisedServer;
import dev.lightd.supervisor.Supervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Minecraft server of the mcctl face: its row, its world, its players, and what the
 * supervisor needs of it (world lock before a start, the mc-NAME container, RCON for readiness and
 * stop). Reads never wait on the engine or on RCON.
 */
final class McServer implements ServerDriver {

    private static final Logger log = LoggerFactory.getLogger(McServer.class);
    private static final Pattern JOINED = Pattern.compile("\\]: (\\S+) joined the game");
    private static final Pattern LEFT = Pattern.compile("\\]: (\\S+) left the game");

    private final String name;
    private final MinecraftStore store;
    private final McContainer containers;
    private final McRcon rcon;
    private final Clock clock;
    private final Supplier<Duration> stopTimeout;
    private final SupervisedServer server;
    private volatile ServerRow row;
    private volatile Map<String, String> env = Map.of();
    private volatile Players players = Players.NONE;
    private volatile Long worldSize;
    /** The container was made and has not run since (the engine's "created"). */
    private volatile boolean created;

    McServer(ServerRow row, Supervisor supervisor, MinecraftStore store, McContainer containers, McRcon rcon,
             Clock clock, Supplier<Duration> stopTimeout) {
        this.name = row.name();
        this.row = row;
        this.store = store;
        this.containers = containers;
        this.rcon = rcon;
        this.clock = clock;
        this.stopTimeout = stopTimeout;
        this.server = supervisor.supervise(name, McNames.container(name), row.wantsRunning(), this);
    }

    String name() {
        return name;
    }

    String container() {
        return McNames.container(name);
    }

    ServerRow row() {
        return row;
    }

    SupervisedServer server() {
        return server;
    }

    boolean running() {
        return server.state().up();
    }

    /**
     * running, paused (from outside), exited, or stopped for a container made and never started:
     * mcctl-console offers Start only for stopped, exited and not_created, and the reference API
     * has no container before the first start.
     */
    String status() {
        if (server.state().up()) {
            return server.paused() ? "paused" : "running";
        }
        return created ? "stopped" : "exited";
    }

    String health() {
        return server.engineId() == null ? "none" : server.health();
    }

    Map<String, String> env() {
        return env;
    }

    Players players() {
        return running() ? players : Players.NONE;
    }

    void players(Players p) {
        players = p;
    }

    Long worldSize() {
        return worldSize;
    }

    void worldSize(Long bytes) {
        worldSize = bytes;
    }

    /** The world in use: the running container's LEVEL, else the one assigned for the next start. */
    String world() {
        return running() ? env.getOrDefault("LEVEL", row.world()) : row.world();
    }

    /** Assigns a world for the next start (the lock is taken by the caller). */
    void assignWorld(String world) {
        row = row.withWorld(world);
    }

    /** Makes a new mc-NAME container from the row and records it. */
    String recreateContainer() {
        McContainer.Created c = containers.recreate(row);
        row = row.withContainerId(c.id());
        store.updateServer(row);
        env = c.env();
        created = true;
        return c.id();
    }

    /** After a stop the world it had mounted is free, when another was assigned meanwhile. */
    void releaseOtherWorlds() {
        store.claimOnly(row.world(), row.seed(), container(), clock.instant().getEpochSecond());
    }

    // ---- ServerDriver ----

    @Override
    public String engineId() {
        return row.containerId();
    }

    @Override
    public void checkStart() {
        Optional<String> holder = store.claimOnly(row.world(), row.seed(), container(), clock.instant().getEpochSecond());
        if (holder.isPresent()) {
            throw ServiceException.conflict("World '" + row.world() + "' is locked by " + holder.get()
                    + "; assign server '" + name + "' another world");
        }
    }

    /**
     * The existing container when it was made for the assigned world with the environment a new one
     * would get (so a changed setting takes effect) and its variables pass {@link McContainer#adoptable},
     * else a new one.
     */
    @Override
    public String prepare(Optional<ContainerState> existing) {
        if (existing.isPresent() && row.world().equals(existing.get().env().get("LEVEL"))
                && containers.adoptable(existing.get()) && containers.current(existing.get().env(), row)) {
            env = existing.get().env();
            return existing.get().id();
        }
        return recreateContainer();
    }

    /** Running once RCON answers. */
    @Override
    public Readiness readiness() {
        return Readiness.probe(() -> {
            try {
                rcon.client(this).command("list");
                return true;
            } catch (IOException e) {
                rcon.close(this);
                return false;
            }
        });
    }

    /** RCON "stop" when it answers (the world is saved), else SIGTERM, repeated; SIGKILL after the timeout. */
    @Override
    public StopStrategy stopStrategy() {
        Duration timeout = stopTimeout.get();
        return target -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                rcon.client(this).command("stop");
                if (target.awaitExit(timeout)) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                log.info("event=mc_rcon_stop_failed server={} error=\"{}\"", name, e.getMessage());
            }
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            return StopStrategy.sigtermRepeated(Duration.ofSeconds(2), left).stop(target);
        };
    }

    @Override
    public void saveWantsRunning(boolean wantsRunning) {
        store.setWantsRunning(name, wantsRunning);
    }

    @Override
    public boolean restartOnCrash() {
        return true;
    }

    @Override
    public boolean crashOnCleanExit() {
        return row.crashOnCleanExit();
    }

    @Override
    public void inspected(Optional<ContainerState> state) {
        state.ifPresent(s -> {
            env = s.env();
            created = "created".equals(s.status());
        });
    }

    @Override
    public void line(String line) {
        Matcher j = JOINED.matcher(line);
        if (j.find()) {
            players = players.joined(j.group(1));
        }
        Matcher l = LEFT.matcher(line);
        if (l.find()) {
            players = players.left(l.group(1));
        }
    }

    @Override
    public void notice(Notice notice) {
        switch (notice) {
            case Notice.StateChanged s -> {
                if (s.state() == PowerState.OFFLINE) {
                    players = Players.NONE;
                    rcon.close(this);
                }
            }
            case Notice.Started s -> created = false;
            case Notice.StoppedFromOutside o -> say("Server was stopped from outside Lightd (exit code "
                    + o.exitCode() + "); it is started again when the engine or the daemon restarts");
            case Notice.CleanExit c -> say("Server stopped by itself (exit code 0); not restarting it");
            case Notice.RestartScheduled r -> {
                log.warn("event=mc_server_crashed server={} exit_code={} restart_in={}", name, r.exitCode(),
                        CrashPolicy.format(r.delay()));
                say("Server crashed with exit code " + r.exitCode() + "; restarting in " + CrashPolicy.format(r.delay()));
            }
            case Notice.CrashLoop l -> {
                log.warn("event=mc_server_crash_loop server={} exit_code={}", name, l.exitCode());
                say("Server crashed with exit code " + l.exitCode() + " too often; not restarting it (start it when fixed)");
            }
            case Notice.Resumed r -> log.info("event=mc_server_resumed server={} after={}", name,
                    r.boot() ? "daemon_start" : "engine_outage");
            case Notice.Stopped s -> { }
            case Notice.Crashed c -> { }
            case Notice.StartFailed f -> { }
            case Notice.Adopted a -> log.info("event=mc_server_adopted server={}", name);
        }
    }

    private void say(String message) {
        server.console().publish(ConsoleEvent.daemonMessage(message));
    }
}
