package dev.lightd.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/** One stats reading, with CPU percent computed as the Docker CLI does (100% = one core). */
public record StatsSample(
        double cpuPercent,
        long memoryUsage,
        long memoryLimit,
        long networkRx,
        long networkTx,
        long blockRead,
        long blockWrite) {

    /** The fields as the console's stats frame names them, in its order. */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cpu_usage", cpuPercent);
        fields.put("memory_usage", memoryUsage);
        fields.put("memory_limit", memoryLimit);
        fields.put("network_rx", networkRx);
        fields.put("network_tx", networkTx);
        fields.put("block_read", blockRead);
        fields.put("block_write", blockWrite);
        return fields;
    }
}
