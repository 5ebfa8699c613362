package dev.lightd.container;

import java.util.List;

/** A managed container as the store keeps it: what the panel asked for and where it stands. */
public record ContainerRecord(
        String internalId,
        String containerId,
        String volumeId,
        String image,
        String startupCommand,
        String startPattern,
        String installScript,
        InstallState installState,
        boolean wantsRunning,
        List<PortSpec> ports,
        Limits limits,
        String stopCommand,
        boolean restartOnCrash,
        String daemonMessage,
        long createdAt,
        long updatedAt) {

    public ContainerRecord withInstallState(InstallState state, String message, long now) {
        return new ContainerRecord(internalId, containerId, volumeId, image, startupCommand, startPattern,
                installScript, state, wantsRunning, ports, limits, stopCommand, restartOnCrash, message, createdAt, now);
    }

    public ContainerRecord withContainerId(String id, long now) {
        return new ContainerRecord(internalId, id, volumeId, image, startupCommand, startPattern, installScript,
                installState, wantsRunning, ports, limits, stopCommand, restartOnCrash, daemonMessage, createdAt, now);
    }

    public ContainerRecord withWantsRunning(boolean wants, long now) {
        return new ContainerRecord(internalId, containerId, volumeId, image, startupCommand, startPattern,
                installScript, installState, wants, ports, limits, stopCommand, restartOnCrash, daemonMessage,
                createdAt, now);
    }

    public ContainerRecord withPorts(List<PortSpec> newPorts, long now) {
        return new ContainerRecord(internalId, containerId, volumeId, image, startupCommand, startPattern,
                installScript, installState, wantsRunning, newPorts, limits, stopCommand, restartOnCrash,
                daemonMessage, createdAt, now);
    }

    public ContainerRecord withInstall(String newImage, String newScript, long now) {
        return new ContainerRecord(internalId, containerId, volumeId, newImage, startupCommand, startPattern,
                newScript, installState, wantsRunning, ports, limits, stopCommand, restartOnCrash, daemonMessage,
                createdAt, now);
    }

    public ContainerRecord withDaemonMessage(String message, long now) {
        return new ContainerRecord(internalId, containerId, volumeId, image, startupCommand, startPattern,
                installScript, installState, wantsRunning, ports, limits, stopCommand, restartOnCrash, message,
                createdAt, now);
    }
}
