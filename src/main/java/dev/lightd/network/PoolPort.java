package dev.lightd.network;

/** A port in the pool, as the routes show it. */
public record PoolPort(String ip, int port, String protocol, boolean inUse) {}
