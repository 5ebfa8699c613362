package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tenant filling the node's disk through its volume: API writes, copies, extractions and
 * compress outputs that would pass the volume's limit are refused with 507 before anything is
 * written and leave nothing behind; a server filling its volume from inside (dd) is stopped by the
 * periodic walk with a daemon_message, and refuses to start until the volume is under its limit.
 */
@Isolated
class DiskQuotaAttackIT {

    static final long MIB = 1024 * 1024;

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults().withTestImages()
            .withConfig(cfg -> {
                ((ObjectNode) cfg.putObject("storage")).put("disk_check_interval_ms", 200);
                ((ObjectNode) cfg.putObject("supervisor")).put("stop_timeout_ms", 2000);
            });
    static final ApiClient api = daemon.api();

    /** A fresh volume with this limit: its id and folder. */
    record Vol(String id, Path path) {}

    static Vol volume(long limit) {
        var res = api.post("/volumes", Map.of("disk_limit", limit));
        assertThat(res.status()).as(res.body()).isEqualTo(201);
        assertThat(res.json().path("disk_limit").asLong()).isEqualTo(limit);
        return new Vol(res.json().get("volume_id").asText(), Path.of(res.json().get("path").asText()));
    }

    static List<String> listing(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    static String text(int bytes) {
        return "x".repeat(bytes);
    }

    @Test
    void aBadDiskLimitIsRefusedAndMakesNoVolume() {
        int before = api.get("/volumes").json().get("volumes").size();
        for (Object bad : List.of(-1, 1000)) {
            var res = api.post("/volumes", Map.of("disk_limit", bad));
            assertThat(res.status()).as(res.body()).isEqualTo(400);
            assertThat(res.json()).isEqualTo(json(
                    "{\"error\":\"Invalid disk_limit: must be 0 (no limit) or at least 1048576 bytes\"}"));
        }
        var text = api.post("/volumes", Map.of("disk_limit", "1GB"));
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.json()).isEqualTo(json("{\"error\":\"Field 'disk_limit' must be an integer\"}"));
        assertThat(api.get("/volumes").json().get("volumes").size()).isEqualTo(before);
    }

    @Test
    void anApiWritePastTheLimitIsRefusedBeforeAnythingIsWritten() throws Exception {
        Vol v = volume(4 * MIB);
        var first = api.post("/volumes/" + v.id() + "/files", Map.of("path", "a.bin", "content", text(3 * (int) MIB)));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        // replacing a file counts only what it adds: 3 MiB over 3 MiB fits a 4 MiB limit
        var again = api.post("/volumes/" + v.id() + "/files", Map.of("path", "a.bin", "content", text(3 * (int) MIB)));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        List<String> before = listing(v.path());

        var res = api.post("/volumes/" + v.id() + "/files", Map.of("path", "more/b.bin", "content", text(2 * (int) MIB)));
        assertThat(res.status()).isEqualTo(507);
        assertThat(res.json()).isEqualTo(json("{\"error\":\"Disk quota exceeded: writing 2097152 bytes would pass"
                + " the volume's limit of 4194304 bytes (3145728 in use)\"}"));
        assertThat(listing(v.path())).as("no file, no folder, no temporary file").isEqualTo(before);

        var folder = api.post("/volumes/" + v.id() + "/files", Map.of("path", "c.bin", "content", text((int) MIB)));
        assertThat(folder.status()).as("exactly up to the limit is allowed").isEqualTo(200);
        var info = api.get("/volumes/" + v.id());
        assertThat(info.json().get("disk_limit").asLong()).isEqualTo(4 * MIB);
        assertThat(info.json().get("disk_used").asLong()).isEqualTo(4 * MIB);
    }

    @Test
    void aCopyPastTheLimitIsRefusedAndLeavesNothing() throws Exception {
        Vol v = volume(4 * MIB);
        String half = text((int) (1.5 * MIB));
        assertThat(api.post("/volumes/" + v.id() + "/files", Map.of("path", "f/one.bin", "content", half)).status()).isEqualTo(200);
        assertThat(api.post("/volumes/" + v.id() + "/files", Map.of("path", "f/two.bin", "content", half)).status()).isEqualTo(200);
        List<String> before = listing(v.path());

        var folder = api.post("/volumes/" + v.id() + "/copy", Map.of("source", "f", "destination", "g"));
        assertThat(folder.status()).isEqualTo(507);
        assertThat(folder.json()).isEqualTo(json("{\"error\":\"Disk quota exceeded: copying 3145728 bytes would pass"
                + " the volume's limit of 4194304 bytes (3145728 in use)\"}"));
        var file = api.post("/volumes/" + v.id() + "/copy", Map.of("source", "f/one.bin", "destination", "h/one.bin"));
        assertThat(file.status()).isEqualTo(507);
        assertThat(file.json()).isEqualTo(json("{\"error\":\"Disk quota exceeded: copying 1572864 bytes would pass"
                + " the volume's limit of 4194304 bytes (3145728 in use)\"}"));
        assertThat(listing(v.path())).isEqualTo(before);

        // a move stays within the volume: it adds nothing and is allowed
        assertThat(api.post("/volumes/" + v.id() + "/move", Map.of("source", "f", "destination", "moved")).status())
                .isEqualTo(200);
    }

    @Test
    void anExtractionPastTheLimitIsRefusedWhileStreamingAndLeavesNothing() throws Exception {
        Vol v = volume(2 * MIB);
        // 3 MB of zeros is a ~3 KB archive: only the bytes actually written are counted
        ArchiveSlipAttackIT.tarGz(v.path().resolve("zeros.tar.gz"),
                List.of(new ArchiveSlipAttackIT.Entry("small.txt", "fine"),
                        new ArchiveSlipAttackIT.Entry("zeros.bin", "\0".repeat(3_000_000))));
        assertThat(Files.size(v.path().resolve("zeros.tar.gz"))).isLessThan(100_000);
        List<String> before = listing(v.path());

        var res = api.post("/volumes/" + v.id() + "/decompress", Map.of("archive_path", "zeros.tar.gz", "destination", "out"));
        assertThat(res.status()).isEqualTo(507);
        assertThat(res.json().get("error").asText()).startsWith(
                "Disk quota exceeded: extracting 'zeros.bin' would pass the volume's limit of 2097152 bytes (");
        assertThat(listing(v.path())).as("no destination, no .lightd-extract-* folder").isEqualTo(before);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/volumes/" + v.id()).json().get("disk_used").asLong())
                        .as("what the refused extraction reserved was given back").isLessThan(100_000));
    }

    @Test
    void aCompressOutputPastTheLimitIsRefusedAndLeavesNothing() throws Exception {
        Vol v = volume(2 * MIB);
        byte[] noise = new byte[1_200_000];
        new Random(11).nextBytes(noise);
        String incompressible = Base64.getEncoder().encodeToString(noise); // 1.6 MB, gzips to ~1.2 MB
        assertThat(api.post("/volumes/" + v.id() + "/files", Map.of("path", "data/noise.txt", "content", incompressible))
                .status()).isEqualTo(200);
        List<String> before = listing(v.path());

        var res = api.post("/volumes/" + v.id() + "/compress", Map.of("format", "tar.gz", "output_name", "backup"));
        assertThat(res.status()).isEqualTo(507);
        assertThat(res.json().get("error").asText()).startsWith("Disk quota exceeded: writing the archive"
                + " 'backup.tar.gz' would pass the volume's limit of 2097152 bytes (");
        assertThat(listing(v.path())).as("no archive, no temporary file").isEqualTo(before);
    }

    @Test
    void aServerFillingItsVolumeFromInsideIsStoppedAndRefusesToStart() throws Exception {
        var unlimited = api.post("/volumes", null);
        String volumeId = unlimited.json().get("volume_id").asText();
        Path root = Path.of(unlimited.json().get("path").asText());
        var bad = api.post("/containers", Map.of("internal_id", "it-dd-bad", "image", TestImages.BUSYBOX,
                "volume_id", volumeId, "startup_command", "sleep 300",
                "limits", Map.of("memory", 64 * MIB, "cpu", 0.5, "disk", 1000)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json()).isEqualTo(json(
                "{\"error\":\"Invalid limits: disk must be 0 (no limit) or at least 1048576 bytes\"}"));
        assertThat(api.get("/containers/it-dd-bad").status()).isEqualTo(404);
        assertThat(api.get("/volumes/" + volumeId).json().get("disk_limit").asLong()).isZero();

        // the first run writes 32 MiB past an 8 MiB limit; a later run only sleeps
        String startup = "if [ ! -e marker ]; then touch marker; dd if=/dev/zero of=fill bs=1048576 count=32;"
                + " echo filled; fi; echo up; exec sleep 300";
        var created = api.post("/containers", Map.of("internal_id", "it-dd", "image", TestImages.BUSYBOX,
                "volume_id", volumeId, "startup_command", startup,
                "limits", Map.of("memory", 64 * MIB, "cpu", 0.5, "disk", 8 * MIB)));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(api.get("/volumes/" + volumeId).json().get("disk_limit").asLong()).isEqualTo(8 * MIB);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "ready".equals(api.get("/containers/it-dd").json().path("install_state").asText()));
        assertThat(api.get("/containers/it-dd").json().get("disk_limit").asLong()).isEqualTo(8 * MIB);

        // the walk may catch dd half-way: the figure in the message is what it found then
        String prefix = "Disk quota exceeded: the volume uses ";
        String suffix = " bytes of its 8388608-byte limit; stopping the server (it cannot start again until the"
                + " volume is under the limit)";
        String stopped;
        try (ConsoleClient console = new ConsoleClient(daemon, "it-dd", daemon.token())) {
            console.await("history", ConsoleClient.event("logs", null));
            assertThat(api.post("/containers/it-dd/start", null).status()).isEqualTo(200);
            stopped = console.await("the quota message", f -> "daemon_message".equals(f.path("event").asText())
                    && f.path("data").asText().startsWith(prefix) && f.path("data").asText().endsWith(suffix))
                    .path("data").asText();
            long seen = Long.parseLong(stopped.substring(prefix.length(), stopped.length() - suffix.length()));
            assertThat(seen).isGreaterThan(8 * MIB).isLessThanOrEqualTo(32 * MIB);
            console.await("the server down", ConsoleClient.event("event", "exit"));
        }
        JsonNode detail = api.get("/containers/it-dd").json();
        assertThat(detail.get("state").asText()).isEqualTo("offline");
        assertThat(detail.get("daemon_message").asText()).isEqualTo(stopped);

        long filled = Files.size(root.resolve("fill")); // 32 MiB unless the stop cut dd short
        var refused = api.post("/containers/it-dd/start", null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json()).isEqualTo(json("{\"error\":\"Disk quota exceeded: the volume uses " + filled
                + " bytes of its 8388608-byte limit; free space in it before starting\"}"));
        assertThat(api.post("/containers/it-dd/restart", null).status()).isEqualTo(400);
        assertThat(api.post("/volumes/" + volumeId + "/files", Map.of("path", "x.txt", "content", "x")).status())
                .as("an API write into the over-limit volume").isEqualTo(507);
        assertThat(api.get("/containers/it-dd").json().get("state").asText()).isEqualTo("offline");

        // freed through the API: the start is accepted at once and the server runs
        assertThat(api.delete("/volumes/" + volumeId + "/files?path=fill").status()).isEqualTo(200);
        assertThat(api.post("/containers/it-dd/start", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "running".equals(api.get("/containers/it-dd").json().path("state").asText()));
        assertThat(api.delete("/containers/it-dd").status()).isEqualTo(200);
    }
}
