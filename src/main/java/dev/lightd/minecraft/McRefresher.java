package dev.lightd.minecraft;

import dev.lightd.container.ConsoleEvent;
import dev.lightd.fs.FolderTree;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.ContainerState;
import dev.lightd.runtime.EngineUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps each server's state live in the background: one engine inspect per server per round, its
 * world's size, RCON "list" every few seconds. Reads answer from what it keeps, never from the
 * engine or RCON.
 */
final class McRefresher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(McRefresher.class);
    private static final Duration ROUND = Duration.ofSeconds(2);
    private static final Duration PLAYERS_EVERY = Duration.ofSeconds(5);

    private final ContainerRuntime runtime;
    private final McContainer containers;
    private final McFollower follower;
    private final McRcon rcon;
    private final McPower power;
    private final Clock clock;
    private final Path worldsDir;
    private final Supplier<Collection<McServer>> servers;
    private final Thread thread;
    private volatile boolean closed;

    McRefresher(ContainerRuntime runtime, McContainer containers, McFollower follower, McRcon rcon, McPower power,
                Clock clock, Path worldsDir, Supplier<Collection<McServer>> servers) {
        this.runtime = runtime;
        this.containers = containers;
        this.follower = follower;
        this.rcon = rcon;
        this.power = power;
        this.clock = clock;
        this.worldsDir = worldsDir;
        this.servers = servers;
        this.thread = Thread.ofVirtual().name("mc-refresh").start(this::loop);
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(ROUND);
                for (McServer s : servers.get()) {
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

    private void refresh(McServer s) {
        if (!s.lock.tryLock()) {
            return; // an action is under way
        }
        try {
            String id = s.row.containerId();
            Optional<ContainerState> state = containers.state(s);
            if (state.isEmpty()) {
                if (s.followed != null) {
                    follower.markStopped(s);
                }
                s.status = "exited";
                s.health = "none"; // no container, no health check
                return;
            }
            ContainerState st = state.get();
            s.env = st.env();
            s.health = st.health();
            boolean wasRunning = s.running();
            s.status = st.status();
            s.worldSize = FolderTree.size(worldsDir.resolve(s.world()));
            if (st.running()) {
                s.startedAt = st.startedAt();
                if (s.followed == null) {
                    for (String line : runtime.tail(id, 200)) {
                        s.console.console(line);
                    }
                    follower.follow(s, id);
                }
                long now = System.nanoTime();
                if (now - s.playersRefreshedAt > PLAYERS_EVERY.toNanos()) {
                    s.playersRefreshedAt = now;
                    refreshPlayers(s);
                }
            } else if (wasRunning || s.followed != null) {
                follower.markStopped(s);
                s.status = st.status();
                exitedByItself(s, st.exitCode());
            } else if (s.restartAt != null && !clock.instant().isBefore(s.restartAt)) {
                s.restartAt = null;
                if (s.wanted) {
                    log.info("event=mc_server_crash_restart server={}", s.name);
                    power.start(s);
                }
            }
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * No one asked this server to stop (stop and restart hold the lock the refresher needs). Exit 0
     * is a clean stop (a `stop` typed in its console, or the engine shutting down): it is left
     * stopped here, and still counts as wanted, so the next daemon start or engine return brings
     * it back. Anything else is a crash: restarted after 1 s, 2 s, 4 s, and left down once it
     * crashes too often in a minute.
     */
    private void exitedByItself(McServer s, int exitCode) {
        if (!s.wanted) {
            return;
        }
        if (exitCode == 0) {
            s.console.publish(ConsoleEvent.daemonMessage("Server stopped by itself (exit code 0); not restarting it"));
            return;
        }
        Optional<Duration> delay = s.crashes.onCrash();
        if (delay.isEmpty()) {
            log.warn("event=mc_server_crash_loop server={} exit_code={}", s.name, exitCode);
            s.console.publish(ConsoleEvent.daemonMessage("Server crashed with exit code " + exitCode
                    + " too often; not restarting it (start it when fixed)"));
            return;
        }
        log.warn("event=mc_server_crashed server={} exit_code={} restart_in_s={}", s.name, exitCode, delay.get().toSeconds());
        s.console.publish(ConsoleEvent.daemonMessage("Server crashed with exit code " + exitCode + "; restarting in "
                + delay.get().toSeconds() + " s"));
        s.restartAt = clock.instant().plus(delay.get());
    }

    private void refreshPlayers(McServer s) {
        try {
            Players p = Players.parse(rcon.client(s).command("list"));
            if (p != null) {
                s.players = p;
            }
        } catch (IOException | RuntimeException e) {
            rcon.close(s);
            s.playersRefreshedAt = 0; // RCON not up yet (a starting server): ask again next round
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
