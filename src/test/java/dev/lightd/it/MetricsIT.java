package dev.lightd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

class MetricsIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults();

    @Test
    void requestCountsAndLatenciesPerRouteInPrometheusFormat() {
        ApiClient api = daemon.api();
        for (int i = 0; i < 3; i++) {
            api.get("/network/ports/0.0.0.0/25565");
        }
        api.get("/network/ports");
        var res = api.get("/metrics");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.raw().headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(res.body())
                .contains("lightd_http_requests_seconds_count{face=\"lightd\",method=\"GET\","
                        + "route=\"/network/ports/{ip}/{port}\",status=\"404\"} 3")
                .contains("lightd_http_requests_seconds_count{face=\"lightd\",method=\"GET\","
                        + "route=\"/network/ports\",status=\"200\"} 1")
                .contains("lightd_http_requests_seconds_sum{face=\"lightd\",method=\"GET\",route=\"/network/ports\"")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void switchedOffMetricsAreAnUnknownRoute() {
        try (DaemonProcess daemon = DaemonProcess.start(cfg -> cfg.putObject("monitoring").put("metrics_enabled", false))) {
            ApiClient api = daemon.api();
            assertThat(api.get("/network/ports").status()).isEqualTo(200);
            var res = api.get("/metrics");
            assertThat(res.status()).isEqualTo(404);
            assertThat(res.json()).isEqualTo(json("{\"error\":\"Route not found: GET /metrics\"}"));
            var anonymous = daemon.api(null).get("/metrics");
            assertThat(anonymous.status()).isEqualTo(404);
            assertThat(anonymous.json()).isEqualTo(json("{\"error\":\"Route not found: GET /metrics\"}"));
        }
    }
}
