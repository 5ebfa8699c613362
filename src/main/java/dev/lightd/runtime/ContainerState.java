package dev.lightd.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * What inspect tells: status is running|exited|created|paused|restarting|dead; health is
 * healthy|unhealthy|starting|none; hardening is the confinement the engine holds the container to
 * (a container made by an older daemon or by hand may have less than the config asks).
 */
public record ContainerState(
        String id,
        String name,
        String status,
        boolean running,
        int exitCode,
        Instant startedAt,
        String health,
        Map<String, String> env,
        Map<String, String> labels,
        Hardening hardening) {}
