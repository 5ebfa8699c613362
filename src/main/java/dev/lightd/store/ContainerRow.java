package dev.lightd.store;

import java.util.List;

/** A row of the containers table, as the store reads and writes it. */
public record ContainerRow(
        String internalId,
        String containerId,
        String volumeId,
        String image,
        String startupCommand,
        String startPattern,
        String installScript,
        String installState,
        boolean wantsRunning,
        List<Port> ports,
        long memory,
        double cpu,
        long pids,
        String stopCommand,
        boolean restartOnCrash,
        boolean crashOnCleanExit,
        String daemonMessage,
        long createdAt,
        long updatedAt) {

    /** A bound port, kept as JSON in the ports column. */
    public record Port(String ip, int port, String protocol) {}
}
