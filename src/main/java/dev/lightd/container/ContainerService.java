package dev.lightd.container;

import dev.lightd.ServiceException;
import dev.lightd.runtime.ContainerState;
import dev.lightd.runtime.ContainerNotFoundException;
import dev.lightd.runtime.EngineUnavailableException;
import dev.lightd.store.PortStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The managed containers: the rules of creating, installing, powering, rebinding and deleting
 * them. Actions are recorded in the store before they are carried out, run under each container's
 * own lock, and, where the seed answers "initiated", finish in the background.
 */
public final class ContainerService implements EngineWatch.Reconciler {

    private static final Logger log = LoggerFactory.getLogger(ContainerService.class);
    public static final String NOT_FOUND = "Container not found";

    private final ContainerContext ctx;
    private final PortStore ports;
    private final Installer installer;
    private final PowerControl power;
    private final Map<String, ManagedContainer> containers = new ConcurrentHashMap<>();

    public ContainerService(dev.lightd.runtime.ContainerRuntime runtime, dev.lightd.store.ContainerStore store,
                            PortStore ports, dev.lightd.volume.VolumeService volumes,
                            dev.lightd.remote.PanelSync panel, dev.lightd.config.LiveConfig config,
                            java.time.Clock clock, java.nio.file.Path dataDir) {
        this.ctx = new ContainerContext(runtime, store, volumes, new ContainerEvents(panel), config, clock, dataDir);
        this.ports = ports;
        this.installer = new Installer(ctx);
        this.power = new PowerControl(ctx);
    }

    /** A read-only view of a container for the faces. */
    public record View(ContainerRecord record, PowerState power, dev.lightd.runtime.StatsSample stats) {}

    public ContainerRecord create(NewContainer req) {
        String id = ContainerRules.internalId(req.internalId());
        ContainerRules.image(req.image());
        ContainerRules.startupCommand(req.startupCommand());
        ContainerRules.startPattern(req.startPattern());
        ContainerRules.limits(req.limits(), Runtime.getRuntime().availableProcessors());
        List<PortSpec> wanted = ContainerRules.ports(req.ports());
        String volumeId = ctx.volumes().find(req.volumeId()).id();
        if (containers.containsKey(id)) {
            throw ServiceException.conflict("Container already exists: " + id);
        }
        requirePortsFree(wanted, List.of());
        ctx.runtime().ping();
        long now = ctx.now();
        ContainerRecord record = new ContainerRecord(id, null, volumeId, req.image(), req.startupCommand(),
                emptyToNull(req.startPattern()), req.installScript() == null ? "" : req.installScript(),
                InstallState.INSTALLING, false, wanted, req.limits(), emptyToNull(req.stopCommand()),
                req.restartOnCrash(), null, now, now);
        switch (ctx.store().insert(record)) {
            case DUPLICATE_ID -> throw ServiceException.conflict("Container already exists: " + id);
            case PORT_TAKEN -> throw ServiceException.badRequest("Invalid port binding: port already in use");
            case INSERTED -> { }
        }
        ManagedContainer c = new ManagedContainer(record, ctx.clock());
        containers.put(id, c);
        background(c, installer::install);
        log.info("event=container_created container={} image={}", id, req.image());
        return record;
    }

    /** Ports must be in the pool and not in use, except by the ports the container already holds. */
    private void requirePortsFree(List<PortSpec> wanted, List<PortSpec> own) {
        for (PortSpec p : wanted) {
            var row = ports.find(p.ip(), p.port())
                    .orElseThrow(() -> ServiceException.badRequest("Invalid port binding: port not in network pool"));
            boolean ownedAlready = own.stream().anyMatch(o -> o.ip().equals(p.ip()) && o.port() == p.port());
            if (row.inUse() && !ownedAlready) {
                throw ServiceException.badRequest("Invalid port binding: port " + p.ip() + ":" + p.port()
                        + " is already in use");
            }
        }
    }

    public View get(String id) {
        ManagedContainer c = find(id);
        return new View(c.record, c.power, c.lastStats);
    }

    public List<View> list() {
        return containers.values().stream()
                .sorted(Comparator.comparingLong((ManagedContainer c) -> c.record.createdAt()).thenComparing(c -> c.id))
                .map(c -> new View(c.record, c.power, c.lastStats))
                .toList();
    }

    public ConsoleHub console(String id) {
        return find(id).console;
    }

    public void start(String id) {
        ManagedContainer c = find(id);
        requireReady(c);
        ctx.runtime().ping();
        background(c, power::start);
    }

    public void stop(String id) {
        ManagedContainer c = find(id);
        ctx.runtime().ping();
        background(c, power::stop);
    }

    /**
     * SIGKILL at once, even while a stop or restart holds the container (a server that ignores its
     * stop command must not keep running for the stop timeout); the queued action then records it.
     */
    public void kill(String id) {
        ManagedContainer c = find(id);
        ctx.runtime().ping();
        String engineId = c.record.containerId();
        if (engineId != null && c.power != PowerState.OFFLINE) {
            c.kills++;
            c.exitExpected = true;
            try {
                ctx.runtime().kill(engineId, "SIGKILL");
            } catch (ContainerNotFoundException gone) {
                // nothing left to kill; the queued action records the state
            }
        }
        background(c, power::kill);
    }

    public void restart(String id) {
        ManagedContainer c = find(id);
        requireReady(c);
        ctx.runtime().ping();
        long killsBefore = c.kills;
        background(c, m -> {
            power.stop(m);
            if (m.kills == killsBefore) { // killed meanwhile: it stays down
                power.start(m);
            }
        });
    }

    /** power actions from the console: start, stop, restart, kill. */
    public void power(String id, String action) {
        switch (action == null ? "" : action) {
            case "start" -> start(id);
            case "stop" -> stop(id);
            case "restart" -> restart(id);
            case "kill" -> kill(id);
            default -> throw ServiceException.badRequest("Invalid power action: expected start, stop, restart or kill");
        }
    }

    /** Writes a command line to the process's stdin; a trailing newline is not doubled. */
    public void sendCommand(String id, String command) {
        ManagedContainer c = find(id);
        if (command == null || command.isBlank()) {
            throw ServiceException.badRequest("Command must not be empty");
        }
        var attachment = c.attachment;
        if (attachment == null || c.power == PowerState.OFFLINE) {
            throw ServiceException.badRequest("Container is not running");
        }
        attachment.write(command.endsWith("\n") ? command : command + "\n");
    }

    public void reinstall(String id, Optional<String> image, Optional<String> script) {
        ManagedContainer c = find(id);
        image.ifPresent(ContainerRules::image);
        if (c.record.installState() == InstallState.INSTALLING) {
            throw ServiceException.badRequest("Container is already installing");
        }
        ctx.runtime().ping();
        ctx.save(c, c.record.withInstall(image.orElse(c.record.image()), script.orElse(c.record.installScript()),
                ctx.now()).withInstallState(InstallState.INSTALLING, null, ctx.now()));
        background(c, m -> {
            power.stop(m);
            installer.install(m);
        });
    }

    public void rebind(String id, List<PortSpec> newPorts) {
        ManagedContainer c = find(id);
        if (c.record.installState() == InstallState.INSTALLING) {
            throw ServiceException.badRequest("Cannot rebind network while container is installing");
        }
        List<PortSpec> wanted = ContainerRules.ports(newPorts);
        c.lock.lock();
        try {
            requirePortsFree(wanted, c.record.ports());
            ctx.runtime().ping();
            List<PortSpec> old = c.record.ports();
            ContainerRecord updated = c.record.withPorts(wanted, ctx.now());
            ctx.store().rebind(updated, old);
            c.record = updated;
        } finally {
            c.lock.unlock();
        }
        background(c, m -> {
            boolean wasRunning = m.power == PowerState.RUNNING || m.power == PowerState.STARTING;
            power.stop(m);
            if (m.record.installState() == InstallState.READY) {
                ServerContainer.recreate(ctx, m);
            }
            if (wasRunning) {
                power.start(m);
            }
        });
    }

    /** Stops and removes the engine containers and frees the ports; the volume stays. */
    public void delete(String id) {
        ManagedContainer c = find(id);
        ctx.runtime().ping();
        c.lock.lock();
        try {
            c.exitExpected = true;
            c.runGeneration++;
            power.detach(c);
            ctx.runtime().remove(c.installerName());
            ctx.runtime().remove(c.engineName());
            ctx.store().delete(c.record);
            containers.remove(id);
            c.power = PowerState.OFFLINE;
            c.console.closeAll("container deleted");
        } finally {
            c.lock.unlock();
        }
        log.info("event=container_deleted container={}", id);
    }

    /**
     * Brings the records and the engine into line, on boot and when the engine comes back: running
     * containers are followed again, an install cut off is marked failed, a container that should
     * run is started, a missing engine container is recreated on its next start.
     */
    @Override
    public void reconcile(boolean boot) {
        ctx.runtime().ensureNetwork(ContainerContext.NETWORK);
        for (ContainerRecord r : ctx.store().all()) {
            ManagedContainer c = containers.computeIfAbsent(r.internalId(), k -> new ManagedContainer(r, ctx.clock()));
            c.lock.lock();
            try {
                reconcileOne(c, boot);
            } catch (RuntimeException e) {
                log.warn("event=reconcile_failed container={} error=\"{}\"", c.id, e.getMessage());
            } finally {
                c.lock.unlock();
            }
        }
    }

    private void reconcileOne(ManagedContainer c, boolean boot) {
        if (c.record.installState() == InstallState.INSTALLING) {
            if (!boot) {
                return; // an install of this run: its own thread finishes it
            }
            ctx.runtime().remove(c.installerName());
            String message = "Install interrupted by a daemon restart; reinstall to try again";
            ctx.save(c, c.record.withInstallState(InstallState.FAILED, message, ctx.now()));
            ctx.events().daemonMessage(c, message);
            return;
        }
        Optional<ContainerState> state = c.record.containerId() == null ? Optional.empty()
                : ctx.runtime().inspect(c.record.containerId());
        if (state.isEmpty()) {
            c.power = PowerState.OFFLINE;
            if (c.record.containerId() != null) {
                ctx.save(c, c.record.withContainerId(null, ctx.now()));
            }
        } else if (state.get().running()) {
            if (c.attachment == null) {
                power.adopt(c, state.get());
                log.info("event=container_adopted container={}", c.id);
            }
            return;
        } else {
            c.power = PowerState.OFFLINE;
        }
        if (c.record.wantsRunning() && c.record.installState() == InstallState.READY) {
            power.start(c);
        }
    }

    public Collection<String> ids() {
        return containers.keySet();
    }

    private void requireReady(ManagedContainer c) {
        switch (c.record.installState()) {
            case INSTALLING -> throw ServiceException.badRequest("Container is still installing");
            case FAILED -> throw ServiceException.badRequest("Container install failed: "
                    + (c.record.daemonMessage() == null ? "reinstall it" : c.record.daemonMessage()));
            case READY -> { }
        }
    }

    private ManagedContainer find(String id) {
        ManagedContainer c = id == null ? null : containers.get(id);
        if (c == null) {
            throw ServiceException.notFound(NOT_FOUND);
        }
        return c;
    }

    /** Runs an action on the container's own virtual thread, one action at a time per container. */
    private void background(ManagedContainer c, Consumer<ManagedContainer> action) {
        Thread.ofVirtual().name("container-" + c.id).start(() -> {
            c.lock.lock();
            try {
                if (containers.get(c.id) == c) {
                    action.accept(c);
                }
            } catch (EngineUnavailableException e) {
                ctx.events().daemonMessage(c, "Docker engine unavailable");
            } catch (ServiceException e) {
                log.info("event=container_action_refused container={} error=\"{}\"", c.id, e.getMessage());
            } catch (RuntimeException e) {
                log.error("event=container_action_failed container={}", c.id, e);
                ctx.events().daemonMessage(c, "Action failed: " + e.getMessage());
            } finally {
                c.lock.unlock();
            }
        });
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
