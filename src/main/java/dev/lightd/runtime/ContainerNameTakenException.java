package dev.lightd.runtime;

import dev.lightd.ServiceException;

/**
 * A container of that name exists and is not this daemon's (another daemon's on the same engine,
 * or the operator's own): a conflict for the client, never a reason to remove it.
 */
public class ContainerNameTakenException extends ServiceException {
    public ContainerNameTakenException(String name) {
        super(Kind.CONFLICT, "Container name '" + name + "' is taken by a container this daemon does not manage");
    }
}
