package dev.lightd.container;

/** Memory in bytes (swap off) and CPU as a number of cores. */
public record Limits(long memory, double cpu) {}
