package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's data folder on a small filesystem (a 64 MiB tmpfs) that a tenant fills: client
 * writes stop at storage.reserved_free_bytes with 507 and leave nothing half-written, while the
 * store keeps committing (ports, tokens), also once the volume was filled below the reserve from
 * outside the API; after a kill -9 every write that was answered 2xx is still there.
 */
@Isolated
class DiskFullStoreIT {

    static final long MIB = 1024 * 1024;
    static final long RESERVE = 16 * MIB;
    static final String FULL = "{\"error\":\"Disk full: writing 4194304 bytes would leave less than 16777216 bytes"
            + " free on the data filesystem (storage.reserved_free_bytes)\"}";

    static Path mount;
    static DaemonProcess daemon;

    @BeforeAll
    static void smallDataFilesystem() throws Exception {
        mount = Files.createTempDirectory("lightd-it-tmpfs-");
        run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount.toString());
        daemon = DaemonProcess.startIn(mount, cfg ->
                ((ObjectNode) cfg.putObject("storage")).put("reserved_free_bytes", RESERVE));
    }

    @AfterAll
    static void unmount() throws Exception {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            run("umount", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    static long free() throws IOException {
        return Files.getFileStore(mount).getUsableSpace();
    }

    static List<String> listing(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aVolumeFillingTheDataFilesystemStopsAtTheReserveAndTheStoreKeepsEveryAnsweredWrite() throws Exception {
        ApiClient api = daemon.api();
        var created = api.post("/volumes", null);
        assertThat(created.status()).isEqualTo(201);
        String vol = created.json().get("volume_id").asText();
        Path root = Path.of(created.json().get("path").asText());
        assertThat(root.startsWith(mount)).isTrue();

        // the tenant writes 4 MiB files until the daemon refuses: every refusal is the reserve's
        String chunk = "x".repeat((int) (4 * MIB));
        List<String> written = new ArrayList<>();
        ApiClient.Response refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            var res = api.post("/volumes/" + vol + "/files", Map.of("path", "fill/f" + i + ".bin", "content", chunk));
            if (res.status() == 200) {
                written.add("fill/f" + i + ".bin");
            } else {
                refused = res;
            }
        }
        assertThat(refused).as("a write was refused before the 64 MiB filesystem was full").isNotNull();
        assertThat(refused.status()).isEqualTo(507);
        assertThat(refused.json()).isEqualTo(json(FULL));
        assertThat(written.size()).as("4 MiB files that fit above a 16 MiB reserve on 64 MiB").isBetween(8, 12);
        assertThat(free()).isGreaterThanOrEqualTo(RESERVE);
        List<String> before = listing(root);
        assertThat(before).noneMatch(n -> n.contains(".lightd-tmp-"));

        // the store commits above the reserve: ports and tokens
        List<Integer> ports = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        commitPortsAndTokens(api, 30000, ports, tokens);

        // the container side (or anything but the API) takes the disk below the reserve
        Files.write(root.resolve("from-inside.bin"), new byte[(int) (free() - 6 * MIB)]);
        assertThat(free()).isLessThan(RESERVE);
        var volume = api.post("/volumes", null);
        assertThat(volume.status()).isEqualTo(507);
        assertThat(volume.json()).isEqualTo(json("{\"error\":\"Disk full: creating a volume would leave less than"
                + " 16777216 bytes free on the data filesystem (storage.reserved_free_bytes)\"}"));
        var folder = api.post("/volumes/" + vol + "/folders", Map.of("path", "more"));
        assertThat(folder.status()).isEqualTo(507);
        var small = api.post("/volumes/" + vol + "/files", Map.of("path", "small.txt", "content", "x"));
        assertThat(small.status()).isEqualTo(507);
        assertThat(small.json().get("error").asText()).startsWith("Disk full: writing 1 bytes would leave less than");
        assertThat(listing(root)).containsExactlyInAnyOrderElementsOf(
                Stream.concat(before.stream(), Stream.of("from-inside.bin")).toList());

        // ... and the store still commits below it: the reserve is for exactly this
        commitPortsAndTokens(api, 31000, ports, tokens);

        // a crash loses none of what was answered
        daemon.kill9();
        daemon.restart();
        ApiClient after = daemon.api();
        for (String name : written) {
            assertThat(Files.size(root.resolve(name))).as(name).isEqualTo(4 * MIB);
        }
        JsonNode listed = after.get("/network/ports").json().get("ports");
        List<Integer> listedPorts = new ArrayList<>();
        listed.forEach(p -> listedPorts.add(p.get("port").asInt()));
        assertThat(listedPorts).containsAll(ports);
        for (String token : tokens) {
            assertThat(daemon.api(token).get("/network/ports").status()).as("a minted token survives").isEqualTo(200);
        }
        assertThat(after.get("/volumes/" + vol).status()).isEqualTo(200);
        assertThat(listing(root)).noneMatch(n -> n.contains(".lightd-tmp-"));
    }

    private static void commitPortsAndTokens(ApiClient api, int firstPort, List<Integer> ports, List<String> tokens) {
        for (int p = firstPort; p < firstPort + 20; p++) {
            var res = api.post("/network/ports", Map.of("ip", "0.0.0.0", "port", p, "protocol", "tcp"));
            assertThat(res.status()).as(res.body()).isEqualTo(200);
            ports.add(p);
        }
        for (int i = 0; i < 5; i++) {
            var res = api.post("/auth/tokens", Map.of("ttl", "1h", "remove_on_use", false));
            assertThat(res.status()).as(res.body()).isEqualTo(200);
            tokens.add(res.json().get("token").asText());
        }
    }
}
