package dev.lightd.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * What inspect tells: status is running|exited|created|paused|restarting|dead; health is
 * healthy|unhealthy|starting|none.
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
        Map<String, String> labels) {}
