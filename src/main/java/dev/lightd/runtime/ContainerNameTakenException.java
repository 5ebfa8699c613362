package dev.lightd.runtime;

/**
 * A container of that name exists and is not this daemon's (another daemon's on the same engine,
 * or the operator's own): never a reason to remove it. Each face answers it in its own words from
 * {@link #name()} (see dev.lightd.EngineRefusals).
 */
public class ContainerNameTakenException extends RuntimeException {

    private final String name;

    public ContainerNameTakenException(String name) {
        super("container name taken by a container this daemon does not manage: " + name);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
