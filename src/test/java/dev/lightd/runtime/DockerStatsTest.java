package dev.lightd.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Statistics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Stats frames as the engine sends them (cgroup v1), turned into what the consoles show. */
class DockerStatsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static Statistics frame(String json) throws Exception {
        return MAPPER.readValue(json, Statistics.class);
    }

    static final String SECOND_FRAME = """
            {"cpu_stats":{"cpu_usage":{"total_usage":3000000000},"system_cpu_usage":20000000000,"online_cpus":2},
             "precpu_stats":{"cpu_usage":{"total_usage":2000000000},"system_cpu_usage":10000000000},
             "memory_stats":{"usage":300000000,"limit":1073741824,"stats":{"cache":100000000}},
             "networks":{"eth0":{"rx_bytes":1000,"tx_bytes":2000},"eth1":{"rx_bytes":10,"tx_bytes":20}},
             "blkio_stats":{"io_service_bytes_recursive":[
                 {"major":8,"minor":0,"op":"Read","value":4096},{"major":8,"minor":0,"op":"Write","value":8192},
                 {"major":8,"minor":0,"op":"Total","value":12288}]}}
            """;

    @Test
    void cpuIsComputedAsTheDockerCliDoesAndPageCacheIsLeftOut() throws Exception {
        StatsSample s = DockerStats.toSample(frame(SECOND_FRAME));
        // 1 s of CPU over 10 s of system time on 2 CPUs: 20 % (100 % is one full core)
        assertThat(s).isEqualTo(new StatsSample(20.0, 200_000_000, 1_073_741_824, 1010, 2020, 4096, 8192));
    }

    @Test
    void theFirstFrameWithoutAMemoryLimitIsSkipped() throws Exception {
        assertThat(DockerStats.toSample(frame("""
                {"cpu_stats":{"cpu_usage":{"total_usage":1}},"memory_stats":{}}
                """))).isNull();
    }

    @Test
    void aFrameWithoutAPreviousOneHasNoCpuYet() throws Exception {
        StatsSample s = DockerStats.toSample(frame("""
                {"cpu_stats":{"cpu_usage":{"total_usage":5},"system_cpu_usage":10,"online_cpus":2},
                 "memory_stats":{"usage":10,"limit":100}}
                """));
        assertThat(s.cpuPercent()).isZero();
        assertThat(s.memoryUsage()).isEqualTo(10);
    }
}
