package dev.lightd.runtime;

import dev.lightd.ServiceException;

/**
 * A container of that name exists and is not this daemon's (another daemon's on the same engine,
 * or the operator's own): never a reason to remove it. Each face answers it in its own words from
 * {@link #name()} (a 409 conflict).
 *
 * <p>Still a {@link ServiceException} for now: container.Installer and container.PowerControl pass a
 * ServiceException's message on as the container's daemon_message, and the install of a panel
 * container whose name is taken must keep failing with this text. Once they handle this exception
 * themselves it becomes a plain RuntimeException carrying only the name.
 */
public class ContainerNameTakenException extends ServiceException {

    private final String name;

    public ContainerNameTakenException(String name) {
        super(Kind.CONFLICT, "Container name '" + name + "' is taken by a container this daemon does not manage");
        this.name = name;
    }

    public String name() {
        return name;
    }
}
