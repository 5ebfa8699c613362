package dev.lightd.container;

import dev.lightd.ServiceException;
import dev.lightd.network.PortAddress;
import dev.lightd.volume.VolumeService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks of a container request that need nothing but the request itself. */
public final class ContainerRules {

    private static final Logger log = LoggerFactory.getLogger(ContainerRules.class);

    /** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]; we keep ours short and add the lightd- prefix. */
    private static final Pattern INTERNAL_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]{0,254}");
    /** Docker refuses less than 6 MiB. */
    static final long MIN_MEMORY = 6L * 1024 * 1024;
    /** Fewer than this and a shell with a pipe cannot start; the kernel's own ceiling is 4194304. */
    static final long MIN_PIDS = 16;
    static final long MAX_PIDS = 4_194_304;

    private ContainerRules() {}

    public static String internalId(String id) {
        if (id == null || !INTERNAL_ID.matcher(id).matches()) {
            throw ServiceException.badRequest("Invalid internal_id: use 1-63 letters, digits, '_', '.' or '-',"
                    + " starting with a letter or digit");
        }
        return id;
    }

    public static String image(String image) {
        if (image == null || !IMAGE.matcher(image).matches()) {
            throw ServiceException.badRequest("Invalid image: expected a Docker image reference such as openjdk:17-slim");
        }
        return image;
    }

    public static String startupCommand(String command) {
        if (command == null || command.isBlank()) {
            throw ServiceException.badRequest("Invalid startup_command: must not be empty");
        }
        return command;
    }

    /** Longest start_pattern accepted: real ones ("Done \\(.*\\)! For help") are a few dozen characters. */
    static final int MAX_START_PATTERN = 1024;

    public static Pattern startPattern(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return null;
        }
        if (pattern.length() > MAX_START_PATTERN) {
            // compiling a long literal is quadratic (java.util.regex's Boyer-Moore tables) in a loop
            // the JVM cannot stop at: a 2 MiB pattern froze the whole daemon, not just its request
            throw ServiceException.badRequest("Invalid start_pattern: at most " + MAX_START_PATTERN + " characters");
        }
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw ServiceException.badRequest("Invalid start_pattern: " + e.getDescription());
        }
    }

    /**
     * A start pattern read back from the store: one stored before the length limit existed (or one
     * Java no longer accepts) must not stop the daemon from loading; the container then counts as
     * running as soon as it starts, and the log says why.
     */
    public static Pattern storedStartPattern(String id, String pattern) {
        try {
            return startPattern(pattern);
        } catch (ServiceException e) {
            log.warn("event=start_pattern_ignored container={} reason=\"{}\"", id, e.getMessage());
            return null;
        }
    }

    public static Limits limits(Limits limits, int hostCpus) {
        if (limits.memory() < MIN_MEMORY) {
            throw ServiceException.badRequest("Invalid limits: memory must be at least " + MIN_MEMORY + " bytes");
        }
        // Docker's own floor is 0.01 CPU: below it the container would be accepted here and fail to start
        if (!(limits.cpu() >= 0.01) || limits.cpu() > hostCpus) {
            throw ServiceException.badRequest("Invalid limits: cpu must be from 0.01 to " + hostCpus
                    + " (the host's CPU count)");
        }
        pids(limits.pids());
        return limits;
    }

    /** A container's own PID limit: 0 (the daemon's containers.pids_limit) or 16 to MAX_PIDS. */
    public static long pids(long pids) {
        if (pids != 0 && (pids < MIN_PIDS || pids > MAX_PIDS)) {
            throw ServiceException.badRequest("Invalid limits: pids must be 0 (the daemon's default) or from "
                    + MIN_PIDS + " to " + MAX_PIDS);
        }
        return pids;
    }

    /** limits.disk: the size limit set on the container's volume, 0 (none) or at least 1 MiB. */
    public static long disk(long bytes) {
        if (bytes != 0 && bytes < VolumeService.MIN_DISK_LIMIT) {
            throw ServiceException.badRequest("Invalid limits: disk must be 0 (no limit) or at least "
                    + VolumeService.MIN_DISK_LIMIT + " bytes");
        }
        return bytes;
    }

    public static List<PortSpec> ports(List<PortSpec> ports) {
        Set<String> seen = new HashSet<>();
        for (PortSpec p : ports) {
            PortAddress.ip(p.ip());
            PortAddress.port(p.port());
            PortAddress.protocol(p.protocol());
            if (!seen.add(p.ip() + "/" + p.port())) {
                throw ServiceException.badRequest("Invalid port binding: " + p.ip() + ":" + p.port() + " listed twice");
            }
        }
        return List.copyOf(ports);
    }
}
