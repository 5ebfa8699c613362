package dev.lightd.network;

/** One pool entry named by its address and number, as a client lists it for a bulk delete. */
public record PortKey(String ip, int port) {}
