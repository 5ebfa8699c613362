package dev.lightd.container;

import dev.lightd.ServiceException;
import dev.lightd.remote.PanelSync;
import dev.lightd.runtime.ContainerNameTakenException;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.EngineUnavailableException;
import dev.lightd.runtime.Hardening;
import dev.lightd.runtime.StatsSample;
import dev.lightd.store.ContainerRow;
import dev.lightd.store.ContainerStore;
import dev.lightd.store.PortStore;
import dev.lightd.supervisor.PowerState;
import dev.lightd.supervisor.SupervisedServer;
import dev.lightd.supervisor.Supervisor;
import dev.lightd.console.ConsoleHub;
import dev.lightd.volume.VolumeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The managed containers of the Lightd face: the rules of creating, installing, powering,
 * rebinding and deleting them. Actions are recorded in the store before they are carried out, run
 * under each container's power lock (the supervisor's) and, where the seed answers "initiated",
 * finish in the background.
 */
public final class ContainerService {

    private static final Logger log = LoggerFactory.getLogger(ContainerService.class);
    public static final String NOT_FOUND = "Container not found";

    private final ContainerRuntime runtime;
    private final ContainerStore store;
    private final PortStore ports;
    private final VolumeService volumes;
    private final PanelSync panel;
    private final Supervisor supervisor;
    private final ServerContainer engine;
    private final Installer installer;
    private final Clock clock;
    private final Duration stopTimeout;
    private final Map<String, ManagedContainer> containers = new ConcurrentHashMap<>();

    public ContainerService(ContainerRuntime runtime, ContainerStore store, PortStore ports, VolumeService volumes,
                            PanelSync panel, Supervisor supervisor, Duration stopTimeout, Clock clock, Path dataDir,
                            Supplier<Hardening> hardening) {
        this.runtime = runtime;
        this.store = store;
        this.ports = ports;
        this.volumes = volumes;
        this.panel = panel;
        this.supervisor = supervisor;
        this.clock = clock;
        this.stopTimeout = stopTimeout;
        this.engine = new ServerContainer(runtime, volumes, hardening);
        this.installer = new Installer(runtime, volumes, dataDir, engine::hardening);
        for (ContainerRow row : store.all()) {
            manage(ContainerRecord.of(row), row.wantsRunning());
        }
        supervisor.onEngineUp(this::engineUp);
    }

    private ManagedContainer manage(ContainerRecord record, boolean wantsRunning) {
        ManagedContainer c = new ManagedContainer(record, wantsRunning, supervisor, store, engine, panel, clock,
                stopTimeout);
        containers.put(c.id(), c);
        return c;
    }

    /** A read-only view of a container for the faces. */
    public record View(ContainerRecord record, PowerState power, StatsSample stats) {}

    public ContainerRecord create(NewContainer req) {
        String id = ContainerRules.internalId(req.internalId());
        ContainerRules.image(req.image());
        ContainerRules.startupCommand(req.startupCommand());
        ContainerRules.startPattern(req.startPattern());
        ContainerRules.limits(req.limits(), Runtime.getRuntime().availableProcessors());
        if (req.diskLimit() != null) {
            ContainerRules.disk(req.diskLimit());
        }
        List<PortSpec> wanted = ContainerRules.ports(req.ports());
        String volumeId = volumes.find(req.volumeId()).id();
        if (containers.containsKey(id)) {
            throw ServiceException.conflict("Container already exists: " + id);
        }
        requirePortsFree(wanted, List.of());
        runtime.ping();
        long now = clock.instant().getEpochSecond();
        ContainerRecord record = new ContainerRecord(id, null, volumeId, req.image(), req.startupCommand(),
                emptyToNull(req.startPattern()), req.installScript() == null ? "" : req.installScript(),
                InstallState.INSTALLING, wanted, req.limits(), emptyToNull(req.stopCommand()),
                req.restartOnCrash(), req.crashOnCleanExit(), null, now, now);
        switch (store.insert(record.row(false))) {
            case DUPLICATE_ID -> throw ServiceException.conflict("Container already exists: " + id);
            case PORT_TAKEN -> throw ServiceException.badRequest("Invalid port binding: port already in use");
            case INSERTED -> { }
        }
        if (req.diskLimit() != null) {
            volumes.setDiskLimit(volumeId, req.diskLimit());
        }
        ManagedContainer c = manage(record, false);
        background(c, "install", p -> installer.install(c));
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
        return view(find(id));
    }

    public List<View> list() {
        return containers.values().stream()
                .sorted(Comparator.comparingLong((ManagedContainer c) -> c.record().createdAt()).thenComparing(ManagedContainer::id))
                .map(ContainerService::view)
                .toList();
    }

    private static View view(ManagedContainer c) {
        return new View(c.record(), c.server().state(), c.server().stats());
    }

    public ConsoleHub console(String id) {
        return find(id).server().console();
    }

    public void start(String id) {
        ManagedContainer c = find(id);
        c.checkStart();
        runtime.ping();
        background(c, "start", SupervisedServer.Power::start);
    }

    public void stop(String id) {
        ManagedContainer c = find(id);
        runtime.ping();
        background(c, "stop", SupervisedServer.Power::stop);
    }

    /** SIGKILL at once, even while a stop or restart holds the container's power lock. */
    public void kill(String id) {
        ManagedContainer c = find(id);
        runtime.ping();
        c.server().kill();
    }

    public void restart(String id) {
        ManagedContainer c = find(id);
        c.checkStart();
        runtime.ping();
        background(c, "restart", p -> p.restart(() -> { }));
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
        if (!c.server().writeStdin(command.endsWith("\n") ? command : command + "\n")) {
            throw ServiceException.badRequest("Container is not running");
        }
    }

    /**
     * limits: the container's limits as the request changes them (identity keeps them); disk: a new
     * size limit for its volume (limits.disk), empty to keep the volume's.
     */
    public void reinstall(String id, Optional<String> image, Optional<String> script, UnaryOperator<Limits> limits,
                          Optional<Long> disk) {
        ManagedContainer c = find(id);
        image.ifPresent(ContainerRules::image);
        Limits newLimits = ContainerRules.limits(limits.apply(c.record().limits()), Runtime.getRuntime().availableProcessors());
        disk.ifPresent(ContainerRules::disk);
        if (c.record().installState() == InstallState.INSTALLING) {
            throw ServiceException.badRequest("Container is already installing");
        }
        runtime.ping();
        disk.ifPresent(bytes -> volumes.setDiskLimit(c.record().volumeId(), bytes));
        c.update(r -> r.withInstall(image.orElse(r.image()), script.orElse(r.installScript()), c.now())
                .withLimits(newLimits)
                .withInstallState(InstallState.INSTALLING, null, c.now()));
        background(c, "reinstall", p -> {
            p.stop();
            installer.install(c);
        });
    }

    public void rebind(String id, List<PortSpec> newPorts) {
        ManagedContainer c = find(id);
        if (c.record().installState() == InstallState.INSTALLING) {
            throw ServiceException.badRequest("Cannot rebind network while container is installing");
        }
        List<PortSpec> wanted = ContainerRules.ports(newPorts);
        synchronized (c) {
            requirePortsFree(wanted, c.record().ports());
            runtime.ping();
            List<PortSpec> old = c.record().ports();
            ContainerRecord updated = c.record().withPorts(wanted, c.now());
            store.rebind(updated.row(c.server().wantsRunning()), ContainerRecord.rowPorts(old));
            c.update(r -> r.withPorts(wanted, c.now()));
        }
        background(c, "rebind", p -> {
            Runnable recreate = () -> {
                if (c.record().installState() == InstallState.READY) {
                    c.recreateEngineContainer();
                }
            };
            if (c.server().state().up()) {
                p.restart(recreate);
            } else {
                recreate.run();
            }
        });
    }

    /** The size limit of the container's volume in bytes (0: none), shown beside its limits. */
    public long diskLimit(String id) {
        return volumes.find(find(id).record().volumeId()).diskLimit();
    }

    /**
     * The periodic walk found a volume over its limit (filled from inside a container): every server
     * using it that is up is told why and stopped (its stop command or SIGTERM, then SIGKILL after
     * the stop timeout), and refuses to start until the volume is under the limit again.
     */
    public void volumeOverLimit(VolumeService.Measured m) {
        for (ManagedContainer c : containers.values()) {
            PowerState state = c.server().state();
            if (!c.record().volumeId().equals(m.volume().id()) || !state.up() || state == PowerState.STOPPING) {
                continue;
            }
            if (c.stopForDisk(ServerContainer.overLimit(m.used(), m.volume().diskLimit()))) {
                background(c, "stop", SupervisedServer.Power::stop);
            }
        }
    }

    /** Ends its supervision, removes the engine containers and frees the ports; the volume stays. */
    public void delete(String id) {
        ManagedContainer c = find(id);
        runtime.ping();
        supervisor.release(c.server(), "container deleted");
        runtime.remove(ServerContainer.installerName(id));
        runtime.remove(ServerContainer.engineName(id));
        store.delete(c.record().row(false));
        containers.remove(id, c);
        log.info("event=container_deleted container={}", id);
    }

    /** On boot an install the daemon's end cut off is marked failed; the supervisor then reconciles. */
    private void engineUp(boolean boot) {
        if (!boot) {
            return;
        }
        for (ManagedContainer c : containers.values()) {
            if (c.record().installState() == InstallState.INSTALLING) {
                installer.abandon(c);
            }
        }
    }

    private ManagedContainer find(String id) {
        ManagedContainer c = id == null ? null : containers.get(id);
        if (c == null) {
            throw ServiceException.notFound(NOT_FOUND);
        }
        return c;
    }

    /** Queues an action under the container's power lock; what fails is told to the panel and the log. */
    private void background(ManagedContainer c, String kind, SupervisedServer.Action action) {
        CompletableFuture<Void> done = c.server().submit(kind, action);
        done.exceptionally(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            switch (cause) {
                case EngineUnavailableException u -> c.events().daemonMessage("Docker engine unavailable");
                case ServiceException s -> log.info("event=container_action_refused container={} action={} error=\"{}\"",
                        c.id(), kind, s.getMessage());
                case ContainerNameTakenException t -> log.info("event=container_action_refused container={} action={}"
                        + " error=\"{}\"", c.id(), kind, t.getMessage());
                default -> {
                    log.error("event=container_action_failed container={} action={}", c.id(), kind, cause);
                    c.events().daemonMessage("Action failed: " + cause.getMessage());
                }
            }
            return null;
        });
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
