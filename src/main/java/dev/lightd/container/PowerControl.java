package dev.lightd.container;

import dev.lightd.ServiceException;
import dev.lightd.runtime.ContainerState;
import dev.lightd.runtime.EngineUnavailableException;
import dev.lightd.runtime.StatsSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Start, stop, kill and the handling of exits (power.go and crash.go in Wings terms). Every method
 * is called with the container's lock held.
 */
final class PowerControl {

    private static final Logger log = LoggerFactory.getLogger(PowerControl.class);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ContainerContext ctx;

    PowerControl(ContainerContext ctx) {
        this.ctx = ctx;
    }

    void start(ManagedContainer c) {
        if (c.power == PowerState.RUNNING || c.power == PowerState.STARTING) {
            return;
        }
        requireInstalled(c);
        ctx.save(c, c.record.withWantsRunning(true, ctx.now()));
        c.exitExpected = false;
        setPower(c, PowerState.STARTING, "starting");
        try {
            String engineId = c.record.containerId();
            if (engineId == null || ctx.runtime().inspect(engineId).isEmpty()) {
                ServerContainer.recreate(ctx, c);
                engineId = c.record.containerId();
            }
            follow(c, engineId, true);
            ctx.runtime().start(engineId);
            if (c.record.daemonMessage() != null) {
                ctx.save(c, c.record.withDaemonMessage(null, ctx.now())); // the last problem is over
            }
            ctx.events().daemonMessage(c, "Container started");
            if (c.startPattern == null) {
                setPower(c, PowerState.RUNNING, "running");
            }
        } catch (RuntimeException e) {
            detach(c);
            setPower(c, PowerState.OFFLINE, "exit");
            if (e instanceof EngineUnavailableException) {
                throw e;
            }
            String message = e instanceof ServiceException ? e.getMessage() : "Failed to start container: " + e.getMessage();
            problem(c, message);
            throw e instanceof ServiceException se ? se : ServiceException.internal(message, e);
        }
    }

    /** A problem the panel should see: sent as a daemon_message and kept as the record's daemon_message. */
    private void problem(ManagedContainer c, String message) {
        ctx.save(c, c.record.withDaemonMessage(message, ctx.now()));
        ctx.events().daemonMessage(c, message);
    }

    /** Attaches console and stats to a running (or about to run) engine container and waits for its exit. */
    void follow(ManagedContainer c, String engineId, boolean beforeStart) {
        detach(c);
        long generation = ++c.runGeneration;
        c.attachment = ctx.runtime().attach(engineId, line -> onLine(c, line), () -> { });
        c.stats = ctx.runtime().stats(engineId, sample -> onStats(c, sample));
        ctx.runtime().waitForExit(engineId, beforeStart).whenComplete((code, error) ->
                Thread.ofVirtual().start(() -> onExit(c, generation, code, error)));
    }

    private void onLine(ManagedContainer c, String line) {
        c.console.console(line);
        if (c.power == PowerState.STARTING && c.startPattern != null && c.startPattern.matcher(line).find()) {
            setPower(c, PowerState.RUNNING, "running");
        }
    }

    private void onStats(ManagedContainer c, StatsSample s) {
        c.lastStats = s;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cpu_usage", s.cpuPercent());
        fields.put("memory_usage", s.memoryUsage());
        fields.put("memory_limit", s.memoryLimit());
        fields.put("network_rx", s.networkRx());
        fields.put("network_tx", s.networkTx());
        fields.put("block_read", s.blockRead());
        fields.put("block_write", s.blockWrite());
        c.console.publish(ConsoleEvent.stats(fields));
    }

    private void onExit(ManagedContainer c, long generation, Integer code, Throwable error) {
        c.lock.lock();
        try {
            if (generation != c.runGeneration) {
                return; // an older run; a newer one has its own watcher
            }
            if (error != null) {
                // the wait broke without an exit (engine stopped): the reconciler will look again
                log.info("event=container_wait_broken container={} error=\"{}\"", c.id, error.getMessage());
                detach(c);
                c.power = PowerState.OFFLINE;
                return;
            }
            detach(c);
            c.lastStats = null;
            c.runGeneration++;
            setPower(c, PowerState.OFFLINE, "exit");
            if (c.exitExpected) {
                ctx.events().daemonMessage(c, "Container stopped");
                return;
            }
            problem(c, "Container exited unexpectedly with code " + code);
            if (!c.record.restartOnCrash()) {
                // still wanted running: the next reconcile (engine back, daemon restart) starts it again
                return;
            }
            Optional<Duration> delay = c.crashes.onCrash();
            if (delay.isEmpty()) {
                ctx.save(c, c.record.withWantsRunning(false, ctx.now()));
                problem(c, "Crash loop detected: " + CrashPolicy.MAX_CRASHES
                        + " crashes within " + CrashPolicy.WINDOW.toSeconds() + "s, not restarting");
                return;
            }
            ctx.events().daemonMessage(c, "Restarting in " + delay.get().toSeconds() + "s");
            Thread.ofVirtual().start(() -> restartAfterCrash(c, delay.get()));
        } finally {
            c.lock.unlock();
        }
    }

    private void restartAfterCrash(ManagedContainer c, Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            return;
        }
        c.lock.lock();
        try {
            if (c.power == PowerState.OFFLINE && c.record.wantsRunning()) {
                start(c);
            }
        } catch (RuntimeException e) {
            log.warn("event=crash_restart_failed container={} error=\"{}\"", c.id, e.getMessage());
        } finally {
            c.lock.unlock();
        }
    }

    /** Graceful: the stop command on stdin when there is one, else SIGTERM; SIGKILL after the timeout. */
    void stop(ManagedContainer c) {
        String engineId = c.record.containerId();
        if (c.power == PowerState.OFFLINE || engineId == null) {
            ctx.save(c, c.record.withWantsRunning(false, ctx.now()));
            return;
        }
        c.exitExpected = true;
        ctx.save(c, c.record.withWantsRunning(false, ctx.now()));
        setPower(c, PowerState.STOPPING, "stopping");
        String stopCommand = c.record.stopCommand();
        if (stopCommand != null && !stopCommand.isBlank() && c.attachment != null) {
            c.attachment.write(stopCommand + "\n");
            if (!awaitExit(engineId, STOP_TIMEOUT)) {
                ctx.runtime().kill(engineId, "SIGKILL");
            }
        } else {
            ctx.runtime().stop(engineId, (int) STOP_TIMEOUT.toSeconds());
        }
        awaitExit(engineId, Duration.ofSeconds(10));
        awaitOffline(c);
    }

    void kill(ManagedContainer c) {
        String engineId = c.record.containerId();
        ctx.save(c, c.record.withWantsRunning(false, ctx.now()));
        if (c.power == PowerState.OFFLINE || engineId == null) {
            return;
        }
        c.exitExpected = true;
        ctx.runtime().kill(engineId, "SIGKILL");
        awaitExit(engineId, Duration.ofSeconds(10));
        awaitOffline(c);
    }

    private boolean awaitExit(String engineId, Duration timeout) {
        return ctx.runtime().awaitStopped(engineId, timeout);
    }

    /** The exit watcher needs the lock to record the exit: give it a moment to do so. */
    private void awaitOffline(ManagedContainer c) {
        for (int i = 0; i < 100 && c.power != PowerState.OFFLINE; i++) {
            c.lock.unlock();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                c.lock.lock();
            }
        }
    }

    void detach(ManagedContainer c) {
        if (c.attachment != null) {
            c.attachment.close();
            c.attachment = null;
        }
        if (c.stats != null) {
            closeQuietly(c.stats);
            c.stats = null;
        }
    }

    void setPower(ManagedContainer c, PowerState state, String event) {
        c.power = state;
        ctx.events().state(c, event);
    }

    /** Brings an engine container that is running, after a daemon restart, back under watch. */
    void adopt(ManagedContainer c, ContainerState state) {
        for (String line : ctx.runtime().tail(state.id(), 200)) {
            c.console.console(line);
        }
        c.exitExpected = false;
        follow(c, state.id(), false);
        c.power = PowerState.RUNNING;
    }

    private static void requireInstalled(ManagedContainer c) {
        switch (c.record.installState()) {
            case INSTALLING -> throw ServiceException.badRequest("Container is still installing");
            case FAILED -> throw ServiceException.badRequest("Container install failed: "
                    + (c.record.daemonMessage() == null ? "reinstall it" : c.record.daemonMessage()));
            case READY -> { }
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // stream already ended
        }
    }
}
