package dev.lightd.runtime;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to create a container. entrypoint null keeps the image's; memory is bytes (swap
 * off, 0 = unlimited); cpu is cores (0 = unlimited); hardening is applied to every container made
 * from it (never null: {@link Hardening#NONE} for none). Mounts are the only host paths a container
 * sees: no face mounts the engine socket, and the runtime never asks for privileged mode.
 */
public record ContainerSpec(
        String name,
        String image,
        List<String> entrypoint,
        List<String> command,
        String workingDir,
        Map<String, String> env,
        Map<String, String> labels,
        List<Mount> mounts,
        long memory,
        double cpu,
        List<PortBinding> ports,
        String network,
        Hardening hardening) {

    public ContainerSpec {
        Objects.requireNonNull(hardening, "hardening");
    }

    public record Mount(String hostPath, String containerPath, boolean readOnly) {}

    /** hostIp:hostPort on the host to the same port number inside the container. */
    public record PortBinding(String hostIp, int hostPort, int containerPort, String protocol) {}
}
