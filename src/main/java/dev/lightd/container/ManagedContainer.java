package dev.lightd.container;

import dev.lightd.EngineRefusals;
import dev.lightd.ServiceException;
import dev.lightd.remote.PanelSync;
import dev.lightd.runtime.ContainerNameTakenException;
import dev.lightd.runtime.ContainerState;
import dev.lightd.runtime.EngineUnavailableException;
import dev.lightd.store.ContainerStore;
import dev.lightd.supervisor.CrashPolicy;
import dev.lightd.supervisor.Notice;
import dev.lightd.supervisor.Readiness;
import dev.lightd.supervisor.ServerDriver;
import dev.lightd.supervisor.StopStrategy;
import dev.lightd.supervisor.SupervisedServer;
import dev.lightd.supervisor.Supervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One container of the Lightd face: its record (written to the store before anything acts on it)
 * and what the supervisor needs of it: install check, engine container, start pattern, stop
 * command, and the panel's messages for what happens.
 */
final class ManagedContainer implements ServerDriver {

    private static final Logger log = LoggerFactory.getLogger(ManagedContainer.class);

    private final String id;
    private final ContainerStore store;
    private final ServerContainer engine;
    private final Clock clock;
    private final Duration stopTimeout;
    private final ContainerEvents events;
    private final SupervisedServer server;
    private volatile ContainerRecord record;
    private volatile Readiness readiness;
    /** Stopped for its volume's limit and not started since: the periodic walk does not ask again. */
    private volatile boolean stoppedForDisk;

    ManagedContainer(ContainerRecord record, boolean wantsRunning, Supervisor supervisor, ContainerStore store,
                     ServerContainer engine, PanelSync panel, Clock clock, Duration stopTimeout) {
        this.id = record.internalId();
        this.record = record;
        this.readiness = Readiness.consoleLine(ContainerRules.storedStartPattern(record.internalId(),
                record.startPattern()));
        this.store = store;
        this.engine = engine;
        this.clock = clock;
        this.stopTimeout = stopTimeout;
        this.server = supervisor.supervise(id, ServerContainer.engineName(id), wantsRunning, this);
        this.events = new ContainerEvents(id, panel, server.console());
    }

    String id() {
        return id;
    }

    ContainerRecord record() {
        return record;
    }

    SupervisedServer server() {
        return server;
    }

    ContainerEvents events() {
        return events;
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    /** Writes the changed record to the store, then keeps it: one writer at a time. */
    synchronized ContainerRecord update(UnaryOperator<ContainerRecord> change) {
        ContainerRecord updated = change.apply(record);
        store.update(updated.row(server.wantsRunning()));
        record = updated;
        return updated;
    }

    /** A new engine container from the record (ports or image changed); recorded before it is used. */
    String recreateEngineContainer() {
        String engineId = engine.recreate(record);
        update(r -> r.withContainerId(engineId, now()));
        return engineId;
    }

    /** A problem the panel should see: sent as a daemon_message and kept as the record's daemon_message. */
    void problem(String message) {
        update(r -> r.withDaemonMessage(message, now()));
        events.daemonMessage(message);
    }

    /**
     * Tells why and stops it, once per run: the walks that find the volume still over the limit
     * while the stop is under way add nothing.
     */
    boolean stopForDisk(String message) {
        if (stoppedForDisk) {
            return false;
        }
        stoppedForDisk = true;
        problem(message);
        return true;
    }

    void requireInstalled() {
        switch (record.installState()) {
            case INSTALLING -> throw ServiceException.badRequest("Container is still installing");
            case FAILED -> throw ServiceException.badRequest("Container install failed: "
                    + (record.daemonMessage() == null ? "reinstall it" : record.daemonMessage()));
            case READY -> { }
        }
    }

    // ---- ServerDriver ----

    @Override
    public String engineId() {
        return record.containerId();
    }

    /** Installed, and its volume under its size limit (also checked on crash restarts and resumes). */
    @Override
    public void checkStart() {
        requireInstalled();
        engine.requireDiskRoom(record);
    }

    @Override
    public String prepare(Optional<ContainerState> existing) {
        // one made under an older config (or by hand) with less confinement is made again
        return existing.isPresent() && existing.get().hardening().meets(engine.hardening(record))
                ? existing.get().id() : recreateEngineContainer();
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    @Override
    public StopStrategy stopStrategy() {
        return StopStrategy.stdinCommand(record.stopCommand(), stopTimeout);
    }

    @Override
    public void saveWantsRunning(boolean wantsRunning) {
        store.setWantsRunning(id, wantsRunning);
    }

    @Override
    public boolean restartOnCrash() {
        return record.restartOnCrash();
    }

    @Override
    public boolean crashOnCleanExit() {
        return record.crashOnCleanExit();
    }

    @Override
    public void notice(Notice notice) {
        switch (notice) {
            case Notice.StateChanged s -> events.powerState(s.state().event());
            case Notice.Started s -> {
                stoppedForDisk = false;
                if (record.daemonMessage() != null) {
                    update(r -> r.withDaemonMessage(null, now())); // the last problem is over
                }
                events.daemonMessage("Container started");
            }
            case Notice.Stopped s -> events.daemonMessage("Container stopped");
            case Notice.StoppedFromOutside o -> events.daemonMessage("Container was stopped from outside Lightd (exit code "
                    + o.exitCode() + "); it is started again when the engine or the daemon restarts");
            case Notice.CleanExit c -> events.daemonMessage("Container stopped by itself (exit code 0); not restarting it");
            case Notice.Crashed c -> problem("Container exited unexpectedly with code " + c.exitCode());
            case Notice.RestartScheduled r -> events.daemonMessage("Restarting in " + CrashPolicy.format(r.delay()));
            case Notice.CrashLoop l -> problem("Crash loop detected: " + l.maxCrashes() + " crashes within "
                    + CrashPolicy.format(l.window()) + ", not restarting");
            case Notice.StartFailed f -> {
                switch (f.error()) {
                    case EngineUnavailableException u -> { } // told as "Docker engine unavailable"
                    case ContainerNameTakenException t -> problem(EngineRefusals.nameTaken(t));
                    case ServiceException s -> problem(s.getMessage());
                    default -> problem("Failed to start container: " + f.error().getMessage());
                }
            }
            case Notice.Resumed r -> log.info("event=container_resumed container={} after={}", id,
                    r.boot() ? "daemon_start" : "engine_outage");
            case Notice.Adopted a -> log.info("event=container_adopted container={}", id);
        }
    }
}
