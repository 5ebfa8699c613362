package dev.lightd.runtime;

import com.github.dockerjava.api.model.BlkioStatEntry;
import com.github.dockerjava.api.model.StatisticNetworksConfig;
import com.github.dockerjava.api.model.Statistics;

/** The engine's stats frames turned into the figures the consoles show. */
final class DockerStats {

    private DockerStats() {}

    /** CPU percent as the Docker CLI computes it: container delta over system delta, times online CPUs. */
    static StatsSample toSample(Statistics s) {
        if (s.getCpuStats() == null || s.getMemoryStats() == null || s.getCpuStats().getCpuUsage() == null) {
            return null;
        }
        double cpu = 0;
        var now = s.getCpuStats();
        var pre = s.getPreCpuStats();
        if (pre != null && pre.getCpuUsage() != null && pre.getSystemCpuUsage() != null && now.getSystemCpuUsage() != null) {
            long cpuDelta = now.getCpuUsage().getTotalUsage() - pre.getCpuUsage().getTotalUsage();
            long systemDelta = now.getSystemCpuUsage() - pre.getSystemCpuUsage();
            long online = now.getOnlineCpus() != null ? now.getOnlineCpus()
                    : now.getCpuUsage().getPercpuUsage() != null ? now.getCpuUsage().getPercpuUsage().size() : 1;
            if (cpuDelta > 0 && systemDelta > 0) {
                cpu = (double) cpuDelta / systemDelta * online * 100.0;
            }
        }
        long memUsage = s.getMemoryStats().getUsage() == null ? 0 : s.getMemoryStats().getUsage();
        var memStats = s.getMemoryStats().getStats();
        if (memStats != null && memStats.getCache() != null) {
            memUsage -= memStats.getCache(); // cgroup v1: the CLI leaves page cache out
        }
        long memLimit = s.getMemoryStats().getLimit() == null ? 0 : s.getMemoryStats().getLimit();
        if (memLimit == 0) {
            return null; // a sample taken before the cgroup was read (the first one, or one at exit)
        }
        long rx = 0;
        long tx = 0;
        if (s.getNetworks() != null) {
            for (StatisticNetworksConfig n : s.getNetworks().values()) {
                rx += n.getRxBytes() == null ? 0 : n.getRxBytes();
                tx += n.getTxBytes() == null ? 0 : n.getTxBytes();
            }
        }
        long read = 0;
        long write = 0;
        if (s.getBlkioStats() != null && s.getBlkioStats().getIoServiceBytesRecursive() != null) {
            for (BlkioStatEntry e : s.getBlkioStats().getIoServiceBytesRecursive()) {
                if ("read".equalsIgnoreCase(e.getOp())) {
                    read += e.getValue();
                } else if ("write".equalsIgnoreCase(e.getOp())) {
                    write += e.getValue();
                }
            }
        }
        return new StatsSample(Math.round(cpu * 100) / 100.0, Math.max(0, memUsage), memLimit, rx, tx, read, write);
    }
}
