package dev.lightd.container;

/**
 * Memory in bytes (swap off), CPU as a number of cores, and pids: at most this many processes in
 * the container (0 = the daemon's containers.pids_limit).
 */
public record Limits(long memory, double cpu, long pids) {

    public Limits(long memory, double cpu) {
        this(memory, cpu, 0);
    }
}
