package dev.lightd.container;

import java.util.List;

/**
 * What POST /containers asks for, before validation against the pool, volumes and engine.
 * diskLimit: limits.disk, the size limit it sets on its volume; null when not given (the volume's stays).
 */
public record NewContainer(
        String internalId,
        String image,
        String volumeId,
        String startupCommand,
        String startPattern,
        List<PortSpec> ports,
        Limits limits,
        String installScript,
        String stopCommand,
        boolean restartOnCrash,
        boolean crashOnCleanExit,
        Long diskLimit) {}
