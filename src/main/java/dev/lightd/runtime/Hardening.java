package dev.lightd.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

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

    /**
     * Whether a container confined like this one needs nothing more to be confined as {@code wanted}
     * asks: a container made before a config change or by an older daemon is made again before its
     * next start, so the limits in config.json hold for every server, not only new ones.
     */
    public boolean meets(Hardening wanted) {
        return (wanted.pidsLimit == 0 || (pidsLimit > 0 && pidsLimit <= wanted.pidsLimit))
                && (!wanted.noNewPrivileges || noNewPrivileges)
                && names(capDrop).containsAll(names(wanted.capDrop))
                && (wanted.tmpSizeBytes == 0 || (tmpSizeBytes > 0 && tmpSizeBytes <= wanted.tmpSizeBytes));
    }

    private static Set<String> names(List<String> caps) {
        return caps.stream().map(c -> c.trim().toUpperCase(Locale.ROOT).replaceFirst("^CAP_", ""))
                .collect(Collectors.toSet());
    }

    /** The same with this container's own PID limit, when it has one (greater than 0). */
    public Hardening withPidsLimit(long pids) {
        return pids > 0 ? new Hardening(pids, noNewPrivileges, capDrop, tmpSizeBytes) : this;
    }
}
