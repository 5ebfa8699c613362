package dev.lightd.runtime;

/** The labels and the network this daemon puts on what it creates in the engine: their names, in one place. */
public final class EngineLabels {

    /** Every container and network of any Lightd daemon: managed-by=lightd. */
    public static final String MANAGED_BY = "managed-by";
    public static final String MANAGED_BY_VALUE = "lightd";
    /** The daemon (node id) that created a container; it never removes one carrying another. */
    public static final String NODE = "lightd.node";
    /** The Lightd face's container id (internal_id). */
    public static final String INTERNAL_ID = "lightd.internal_id";
    /** "install" on a Lightd container's short-lived install container. */
    public static final String ROLE = "lightd.role";
    /** The mcctl face's server name. */
    public static final String MCCTL_SERVER = "lightd.mcctl";
    /** The bridge network every game server joins. */
    public static final String NETWORK = "lightd_network";

    private EngineLabels() {}
}
