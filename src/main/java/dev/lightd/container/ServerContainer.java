package dev.lightd.container;

import dev.lightd.ServiceException;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.ContainerSpec;
import dev.lightd.runtime.EngineLabels;
import dev.lightd.runtime.Hardening;
import dev.lightd.runtime.ImageNotFoundException;
import dev.lightd.volume.VolumeService;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Creates the engine container a server runs in, from its record (create.go in Wings terms). */
final class ServerContainer {

    static final String IMAGE_NOT_FOUND = "Failed to create Docker container: image not found";
    static final String HOME = "/home/container";

    private final ContainerRuntime runtime;
    private final VolumeService volumes;
    private final Supplier<Hardening> hardening;

    ServerContainer(ContainerRuntime runtime, VolumeService volumes, Supplier<Hardening> hardening) {
        this.runtime = runtime;
        this.volumes = volumes;
        this.hardening = hardening;
    }

    /** The configured confinement with this container's own PID limit, if it has one: servers and installs alike. */
    Hardening hardening(ContainerRecord r) {
        return hardening.get().withPidsLimit(r.limits().pids());
    }

    /** The daemon_message of a server stopped because its volume passed its limit. */
    static String overLimit(long used, long limit) {
        return "Disk quota exceeded: the volume uses " + used + " bytes of its " + limit
                + "-byte limit; stopping the server (it cannot start again until the volume is under the limit)";
    }

    /** Refuses a start into a volume over its limit (400, see {@link VolumeService#requireUnderLimit}). */
    void requireDiskRoom(ContainerRecord r) {
        volumes.requireUnderLimit(r.volumeId());
    }

    static String engineName(String internalId) {
        return "lightd-" + internalId;
    }

    static String installerName(String internalId) {
        return "lightd-" + internalId + "-install";
    }

    /** Replaces any engine container of this name with a fresh one; answers its engine id. */
    String recreate(ContainerRecord r) {
        String name = engineName(r.internalId());
        runtime.remove(name);
        String volumePath = volumes.find(r.volumeId()).path().toString();
        ContainerSpec spec = new ContainerSpec(
                name,
                r.image(),
                List.of("/bin/sh", "-c"),
                List.of(r.startupCommand()),
                HOME,
                Map.of("STARTUP", r.startupCommand(), "SERVER_MEMORY", Long.toString(r.limits().memory() / (1024 * 1024))),
                Map.of(EngineLabels.INTERNAL_ID, r.internalId()),
                List.of(new ContainerSpec.Mount(volumePath, HOME, false)),
                r.limits().memory(),
                r.limits().cpu(),
                r.ports().stream().map(p -> new ContainerSpec.PortBinding(p.ip(), p.port(), p.port(), p.protocol())).toList(),
                EngineLabels.NETWORK,
                hardening(r));
        try {
            return runtime.create(spec);
        } catch (ImageNotFoundException e) {
            throw new ServiceException(ServiceException.Kind.INTERNAL, IMAGE_NOT_FOUND, e);
        }
    }
}
