package dev.lightd.runtime;

import java.util.List;

/**
 * What every container of both faces (server and install containers) is confined by, from
 * config.json's {@code containers} section (made from it in one place, Daemon) (Wings' environment/docker/container.go): a PID limit
 * (a fork bomb, CVE-2021-32699), no-new-privileges, a dropped capability set and a size-limited
 * tmpfs at /tmp. Privileged mode is never asked for; the engine socket is never mounted (a spec
 * mounts only what its face names: the volume and, for installs, the read-only script folder).
 *
 * pidsLimit: at most this many processes (0 = none set); capDrop: Linux capability names without
 * the CAP_ prefix, any case; tmpSizeBytes: size of the /tmp tmpfs (0 = no tmpfs).
 */
public record Hardening(long pidsLimit, boolean noNewPrivileges, List<String> capDrop, long tmpSizeBytes) {

    /** Nothing set: for tests and tools that build specs outside the daemon. */
    public static final Hardening NONE = new Hardening(0, false, List.of(), 0);

    public Hardening {
        capDrop = List.copyOf(capDrop);
    }

    /** The same with this container's own PID limit, when it has one (greater than 0). */
    public Hardening withPidsLimit(long pids) {
        return pids > 0 ? new Hardening(pids, noNewPrivileges, capDrop, tmpSizeBytes) : this;
    }
}
