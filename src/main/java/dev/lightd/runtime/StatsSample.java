package dev.lightd.runtime;

/** One stats reading, with CPU percent computed as the Docker CLI does (100% = one core). */
public record StatsSample(
        double cpuPercent,
        long memoryUsage,
        long memoryLimit,
        long networkRx,
        long networkTx,
        long blockRead,
        long blockWrite) {}
