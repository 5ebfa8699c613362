package dev.lightd.container;

import dev.lightd.ServiceException;
import dev.lightd.runtime.ContainerSpec;
import dev.lightd.runtime.ImageNotFoundException;

import java.util.List;
import java.util.Map;

/** Creates the engine container a server runs in, from its record (create.go in Wings terms). */
final class ServerContainer {

    static final String IMAGE_NOT_FOUND = "Failed to create Docker container: image not found";

    private ServerContainer() {}

    /** Replaces any engine container of this name with a fresh one and records its id. */
    static void recreate(ContainerContext ctx, ManagedContainer c) {
        ContainerRecord r = c.record;
        ctx.runtime().remove(c.engineName());
        String volumePath = ctx.volumes().find(r.volumeId()).path().toString();
        ContainerSpec spec = new ContainerSpec(
                c.engineName(),
                r.image(),
                List.of("/bin/sh", "-c"),
                List.of(r.startupCommand()),
                "/home/container",
                Map.of("STARTUP", r.startupCommand(), "SERVER_MEMORY", Long.toString(r.limits().memory() / (1024 * 1024))),
                Map.of("managed-by", "lightd", "lightd.internal_id", c.id),
                List.of(new ContainerSpec.Mount(volumePath, "/home/container", false)),
                r.limits().memory(),
                r.limits().cpu(),
                r.ports().stream().map(p -> new ContainerSpec.PortBinding(p.ip(), p.port(), p.port(), p.protocol())).toList(),
                ContainerContext.NETWORK);
        String engineId;
        try {
            engineId = ctx.runtime().create(spec);
        } catch (ImageNotFoundException e) {
            throw new ServiceException(ServiceException.Kind.INTERNAL, IMAGE_NOT_FOUND, e);
        }
        ctx.save(c, c.record.withContainerId(engineId, ctx.now()));
    }
}
