package dev.lightd.container;

/** A host port a container binds: address, number and protocol, as in the pool. */
public record PortSpec(String ip, int port, String protocol) {}
