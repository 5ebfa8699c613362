package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import dev.lightd.config.LiveConfig;
import dev.lightd.container.ConsoleEvent;
import dev.lightd.runtime.ContainerNotFoundException;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.ContainerState;
import dev.lightd.store.MinecraftStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Start, stop and restart of a server (power.go in Wings terms), each called with the server's
 * lock held, and bringing back the servers that should run after an outage.
 */
final class McPower {

    private static final Logger log = LoggerFactory.getLogger(McPower.class);

    private final ContainerRuntime runtime;
    private final MinecraftStore store;
    private final LiveConfig config;
    private final Clock clock;
    private final McContainer containers;
    private final McFollower follower;
    private final McRcon rcon;

    McPower(ContainerRuntime runtime, MinecraftStore store, LiveConfig config, Clock clock, McContainer containers,
            McFollower follower, McRcon rcon) {
        this.runtime = runtime;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.containers = containers;
        this.follower = follower;
        this.rcon = rcon;
    }

    /** Starts the server, recreating its container when it is missing or its world changed. */
    void start(McServer s) {
        if (s.running()) {
            want(s, true);
            return;
        }
        Optional<String> holder = store.claimOnly(s.row.world(), s.row.seed(), s.container(), clock.instant().getEpochSecond());
        if (holder.isPresent()) {
            throw ServiceException.conflict("World '" + s.row.world() + "' is locked by " + holder.get()
                    + "; assign server '" + s.name + "' another world");
        }
        want(s, true);
        s.restartAt = null;
        Optional<ContainerState> state = containers.state(s);
        // no container, or one made for another world: a new one
        boolean recreate = state.map(st -> !s.row.world().equals(st.env().get("LEVEL"))).orElse(true);
        if (recreate) {
            containers.recreate(s);
        }
        follower.unfollow(s);
        follower.follow(s, s.row.containerId());
        if (!recreate && "paused".equals(state.get().status())) {
            runtime.unpause(s.row.containerId()); // paused from outside: Docker cannot start it
        } else {
            runtime.start(s.row.containerId());
        }
        s.status = "running";
        s.startedAt = clock.instant();
        s.console.publish(ConsoleEvent.state("starting"));
    }

    /** RCON "stop" when it answers (the world is saved), else SIGTERM; SIGKILL after the timeout. */
    void stop(McServer s) {
        want(s, false);
        String id = s.row.containerId();
        boolean paused = "paused".equals(s.status);
        if (id == null || (!s.running() && !paused)) {
            return;
        }
        if (paused) {
            runtime.unpause(id); // a frozen server can neither save nor exit
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.get().mcctl().stopTimeoutSeconds());
        boolean exited;
        try {
            rcon.client(s).command("stop");
            exited = exitedBy(id, deadline);
        } catch (IOException | RuntimeException e) {
            log.info("event=mc_rcon_stop_failed server={} error=\"{}\"", s.name, e.getMessage());
            exited = false;
        }
        // No RCON yet (a server just started): SIGTERM, again every 2 s, because a signal that reaches
        // the container's PID 1 before its JVM installed a handler is simply dropped.
        try {
            while (!exited && System.nanoTime() < deadline) {
                runtime.kill(id, "SIGTERM");
                exited = exitedBy(id, Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(2)));
            }
            if (!exited) {
                runtime.kill(id, "SIGKILL");
                exitedBy(id, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            }
        } catch (ContainerNotFoundException gone) {
            // removed from outside meanwhile: stopped all the same
        }
        follower.markStopped(s);
        // the world it had mounted is free now if another was assigned meanwhile
        store.claimOnly(s.row.world(), s.row.seed(), s.container(), clock.instant().getEpochSecond());
    }

    /** Waits for the container to be down, at most until the deadline (System.nanoTime). */
    private boolean exitedBy(String id, long deadline) {
        return runtime.awaitStopped(id, java.time.Duration.ofNanos(deadline - System.nanoTime()));
    }

    void restart(McServer s) {
        stop(s);
        start(s);
    }

    /**
     * On boot and whenever the engine is back: a server that should run but does not (the engine or
     * the daemon went down under it) is started again. One that fails to start stays as it is,
     * with the reason in the log.
     */
    void resume(Collection<McServer> servers, boolean boot) {
        for (McServer s : servers) {
            if (!s.wanted) {
                continue;
            }
            s.lock.lock();
            try {
                if (containers.state(s).map(ContainerState::running).orElse(false)) {
                    continue; // the refresher follows it
                }
                s.status = "exited";
                start(s);
                log.info("event=mc_server_resumed server={} after={}", s.name, boot ? "daemon_start" : "engine_outage");
            } catch (RuntimeException e) {
                log.warn("event=mc_server_resume_failed server={} error=\"{}\"", s.name, e.getMessage());
            } finally {
                s.lock.unlock();
            }
        }
    }

    /** Records whether the server should be running (start sets it, stop clears it). */
    private void want(McServer s, boolean running) {
        if (s.wanted != running) {
            store.setWantedRunning(s.name, running);
            s.wanted = running;
        }
    }
}
