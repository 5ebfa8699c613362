package dev.lightd.it;

import dev.lightd.TestPorts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

class PortPoolIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults();
    static final ApiClient api = daemon.api();

    @BeforeEach
    void emptyPool() {
        for (var p : api.get("/network/ports").json().get("ports")) {
            api.delete("/network/ports/" + p.get("ip").asText() + "/" + p.get("port").asInt());
        }
    }

    private ApiClient.Response add(String ip, int port, String protocol) {
        return api.post("/network/ports", Map.of("ip", ip, "port", port, "protocol", protocol));
    }

    @Test
    void theSevenSeedRoutes() {
        var added = add("0.0.0.0", 25565, "tcp");
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.json()).isEqualTo(json(
                "{\"message\":\"Port added to pool\",\"ip\":\"0.0.0.0\",\"port\":25565,\"protocol\":\"tcp\"}"));
        add("0.0.0.0", 25566, "tcp");
        add("0.0.0.0", 19132, "udp");

        var duplicate = add("0.0.0.0", 25565, "tcp");
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.json()).isEqualTo(json("{\"error\":\"Port already exists in pool\"}"));

        var got = api.get("/network/ports/0.0.0.0/25565");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(json(
                "{\"ip\":\"0.0.0.0\",\"port\":25565,\"protocol\":\"tcp\",\"in_use\":false}"));

        var use = api.put("/network/ports/0.0.0.0/25566/use", Map.of("in_use", true));
        assertThat(use.status()).isEqualTo(200);
        assertThat(use.json()).isEqualTo(json(
                "{\"message\":\"Port usage updated\",\"ip\":\"0.0.0.0\",\"port\":25566,\"in_use\":true}"));

        var list = api.get("/network/ports");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).isEqualTo(json("{\"ports\":["
                + "{\"ip\":\"0.0.0.0\",\"port\":19132,\"protocol\":\"udp\",\"in_use\":false},"
                + "{\"ip\":\"0.0.0.0\",\"port\":25565,\"protocol\":\"tcp\",\"in_use\":false},"
                + "{\"ip\":\"0.0.0.0\",\"port\":25566,\"protocol\":\"tcp\",\"in_use\":true}]}"));

        var deleted = api.delete("/network/ports/0.0.0.0/25565");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json()).isEqualTo(json("{\"message\":\"Port deleted from pool\"}"));

        var missing = api.get("/network/ports/0.0.0.0/25565");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json()).isEqualTo(json("{\"error\":\"Port not found in pool\"}"));
        assertThat(api.delete("/network/ports/0.0.0.0/25565").json())
                .isEqualTo(json("{\"error\":\"Port not found in pool\"}"));
        assertThat(api.put("/network/ports/0.0.0.0/25565/use", Map.of("in_use", true)).status()).isEqualTo(404);

        var bulk = api.post("/network/ports/bulk-delete", Map.of("ports", List.of(
                Map.of("ip", "0.0.0.0", "port", 25565),
                Map.of("ip", "0.0.0.0", "port", 25566),
                Map.of("ip", "0.0.0.0", "port", 19132))));
        assertThat(bulk.status()).isEqualTo(200);
        assertThat(bulk.json()).isEqualTo(json("{\"message\":\"Deleted 2 ports from pool\",\"deleted_count\":2}"));
        assertThat(api.get("/network/ports").json()).isEqualTo(json("{\"ports\":[]}"));
    }

    @Test
    void randomPicksAFreePortTheHostCanBind() throws Exception {
        int busyPort = TestPorts.free();
        int freePort = TestPorts.free();
        add("127.0.0.1", busyPort, "tcp");
        add("127.0.0.1", freePort, "tcp");
        add("127.0.0.1", freePort + 1 == busyPort ? freePort + 2 : freePort + 1, "tcp");
        api.put("/network/ports/127.0.0.1/" + (freePort + 1 == busyPort ? freePort + 2 : freePort + 1) + "/use",
                Map.of("in_use", true));
        try (ServerSocket holder = new ServerSocket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), busyPort));
            for (int i = 0; i < 10; i++) {
                var res = api.get("/network/ports/random");
                assertThat(res.status()).isEqualTo(200);
                assertThat(res.json()).isEqualTo(json("{\"ip\":\"127.0.0.1\",\"port\":" + freePort
                        + ",\"protocol\":\"tcp\",\"in_use\":false}"));
            }
            api.put("/network/ports/127.0.0.1/" + freePort + "/use", Map.of("in_use", true));
            var none = api.get("/network/ports/random");
            assertThat(none.status()).isEqualTo(404);
            assertThat(none.json()).isEqualTo(json("{\"error\":\"No available port in pool\"}"));
        }
    }

    @Test
    void fiftyConcurrentAddsOfTheSamePortGiveOneSuccess() throws Exception {
        List<Callable<Integer>> adds = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            adds.add(() -> add("0.0.0.0", 27015, "udp").status());
        }
        List<Integer> statuses = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(50)) {
            for (var f : pool.invokeAll(adds)) {
                statuses.add(f.get());
            }
        }
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 400).hasSize(49);
        assertThat(api.get("/network/ports").json().get("ports")).hasSize(1);
    }

    @Test
    void invalidEntriesAreRefusedAndChangeNothing() {
        record Case(Object body, String error) {}
        List<Case> cases = List.of(
                new Case(Map.of("ip", "0.0.0.0", "port", 0, "protocol", "tcp"), "Invalid port: must be between 1 and 65535"),
                new Case(Map.of("ip", "0.0.0.0", "port", 65536, "protocol", "tcp"), "Invalid port: must be between 1 and 65535"),
                new Case(Map.of("ip", "0.0.0.0", "port", "25565", "protocol", "tcp"), "Field 'port' must be an integer"),
                new Case(Map.of("ip", "0.0.0.0", "port", 25565.5, "protocol", "tcp"), "Field 'port' must be an integer"),
                new Case(Map.of("ip", "0.0.0.0", "port", 25565, "protocol", "icmp"), "Invalid protocol: must be tcp or udp"),
                new Case(Map.of("ip", "999.1.1.1", "port", 25565, "protocol", "tcp"), "Invalid ip: expected an IPv4 or IPv6 address"),
                new Case(Map.of("ip", "example.com", "port", 25565, "protocol", "tcp"), "Invalid ip: expected an IPv4 or IPv6 address"),
                new Case(Map.of("port", 25565, "protocol", "tcp"), "Missing required field 'ip'"),
                new Case(Map.of("ip", "0.0.0.0", "protocol", "tcp"), "Missing required field 'port'"),
                new Case("[1,2]", "Request body must be a JSON object"));
        for (Case c : cases) {
            var res = api.post("/network/ports", c.body());
            assertThat(res.status()).as(c.toString()).isEqualTo(400);
            assertThat(res.json()).as(c.toString()).isEqualTo(json("{\"error\":\"" + c.error() + "\"}"));
        }
        assertThat(add("::1", 25565, "tcp").status()).isEqualTo(200);
        assertThat(api.get("/network/ports/::1/25565").json().get("ip").asText()).isEqualTo("::1");
        assertThat(api.get("/network/ports").json().get("ports")).hasSize(1);
        assertThat(api.get("/network/ports/0.0.0.0/abc").status()).isEqualTo(400);
        var bulkBad = api.post("/network/ports/bulk-delete", Map.of("ports", List.of(Map.of("ip", "::1", "port", 25565),
                Map.of("ip", "x", "port", 1))));
        assertThat(bulkBad.status()).isEqualTo(400);
        assertThat(api.get("/network/ports").json().get("ports")).hasSize(1);
    }
}
