package dev.lightd.container;

import dev.lightd.store.ContainerRow;

import java.util.List;

/**
 * A managed container as the panel asked for it and where its install stands. Whether it should
 * run is the supervisor's (wants_running), not a field here.
 */
public record ContainerRecord(
        String internalId,
        String containerId,
        String volumeId,
        String image,
        String startupCommand,
        String startPattern,
        String installScript,
        InstallState installState,
        List<PortSpec> ports,
        Limits limits,
        String stopCommand,
        boolean restartOnCrash,
        boolean crashOnCleanExit,
        String daemonMessage,
        long createdAt,
        long updatedAt) {

    static ContainerRecord of(ContainerRow r) {
        return new ContainerRecord(r.internalId(), r.containerId(), r.volumeId(), r.image(), r.startupCommand(),
                r.startPattern(), r.installScript(), InstallState.valueOf(r.installState()),
                r.ports().stream().map(p -> new PortSpec(p.ip(), p.port(), p.protocol())).toList(),
                new Limits(r.memory(), r.cpu(), r.pids()), r.stopCommand(), r.restartOnCrash(), r.crashOnCleanExit(),
                r.daemonMessage(), r.createdAt(), r.updatedAt());
    }

    ContainerRow row(boolean wantsRunning) {
        return new ContainerRow(internalId, containerId, volumeId, image, startupCommand, startPattern, installScript,
                installState.name(), wantsRunning, rowPorts(ports), limits.memory(), limits.cpu(), limits.pids(), stopCommand,
                restartOnCrash, crashOnCleanExit, daemonMessage, createdAt, updatedAt);
    }

    static List<ContainerRow.Port> rowPorts(List<PortSpec> ports) {
        return ports.stream().map(p -> new ContainerRow.Port(p.ip(), p.port(), p.protocol())).toList();
    }

    ContainerRecord withInstallState(InstallState state, String message, long now) {
        return new ContainerRecord(internalId, containerId, volumeId, image, startupCommand, startPattern,
                installScript, state, ports, limits, stopCommand, restartOnCrash, crashOnCleanExit, message,
                createdAt, now);
    }

    ContainerRecord withContainerId(String id, long now) {
        return new ContainerRecord(internalId, id, volumeId, image, startupCommand, startPattern, installScript,
                installState, ports, limits, stopCommand, restartOnCrash, crashOnCleanExit, daemonMessage,
                createdAt, now);
    }

    ContainerRecord withPorts(List<PortSpec> newPorts, long now) {
        return new ContainerRecord(internalId, containerId, volumeId, image, startupCommand, startPattern,
                installScript, installState, newPorts, limits, stopCommand, restartOnCrash, crashOnCleanExit,
                daemonMessage, createdAt, now);
    }

    ContainerRecord withInstall(String newImage, String newScript, long now) {
        return new ContainerRecord(internalId, containerId, volumeId, newImage, startupCommand, startPattern,
                newScript, installState, ports, limits, stopCommand, restartOnCrash, crashOnCleanExit,
                daemonMessage, createdAt, now);
    }

    ContainerRecord withLimits(Limits newLimits) {
        return new ContainerRecord(internalId, containerId, volumeId, image, startupCommand, startPattern,
                installScript, installState, ports, newLimits, stopCommand, restartOnCrash, crashOnCleanExit,
                daemonMessage, createdAt, updatedAt);
    }

    ContainerRecord withDaemonMessage(String message, long now) {
        return new ContainerRecord(internalId, containerId, volumeId, image, startupCommand, startPattern,
                installScript, installState, ports, limits, stopCommand, restartOnCrash, crashOnCleanExit, message,
                createdAt, now);
    }
}
