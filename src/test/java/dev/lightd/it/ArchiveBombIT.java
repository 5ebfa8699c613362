package dev.lightd.it;

import org.junit.jupiter.api.parallel.Isolated;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Archives that expand past the configured limits: refused, nothing left behind. */
@Isolated
class ArchiveBombIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults()
            .withConfig(cfg -> ((ObjectNode) cfg.putObject("storage"))
                    .put("max_extract_bytes", 1_000_000).put("max_extract_entries", 100))
            .withVolume();
    static final ApiClient api = daemon.api();
    static String vol;
    static Path root;

    @BeforeAll
    static void volume() {
        vol = daemon.volume().prefix();
        root = daemon.volume().path();
    }

    @Test
    void sizeBombIsRefused() throws Exception {
        // 50 MB of zeros compresses to ~50 KB: the header says nothing, the bytes written are counted
        ArchiveSlipAttackIT.tarGz(root.resolve("bomb.tar.gz"),
                List.of(new ArchiveSlipAttackIT.Entry("zeros.bin", "\0".repeat(50_000_000))));
        assertThat(Files.size(root.resolve("bomb.tar.gz"))).isLessThan(200_000);
        var before = listing();
        var res = api.post("/volumes/" + vol + "/decompress", Map.of("archive_path", "bomb.tar.gz", "destination", "boom"));
        assertThat(res.status()).isEqualTo(400);
        assertThat(res.json()).isEqualTo(json("{\"error\":\"Archive refused: it expands past 1000000 bytes"
                + " (storage.max_extract_bytes) at entry 'zeros.bin'\"}"));
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void entryCountBombIsRefused() throws Exception {
        List<ArchiveSlipAttackIT.Entry> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(new ArchiveSlipAttackIT.Entry("f" + i, "x"));
        }
        ArchiveSlipAttackIT.zip(root.resolve("many.zip"), many);
        var before = listing();
        var res = api.post("/volumes/" + vol + "/decompress", Map.of("archive_path", "many.zip", "destination", "many"));
        assertThat(res.status()).isEqualTo(400);
        assertThat(res.json()).isEqualTo(json(
                "{\"error\":\"Archive refused: more than 100 entries (storage.max_extract_entries)\"}"));
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void withinTheLimitsItExtracts() throws Exception {
        ArchiveSlipAttackIT.tarGz(root.resolve("fine.tar.gz"),
                List.of(new ArchiveSlipAttackIT.Entry("small.bin", "\0".repeat(999_000))));
        var res = api.post("/volumes/" + vol + "/decompress", Map.of("archive_path", "fine.tar.gz", "destination", "fine"));
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        assertThat(Files.size(root.resolve("fine/small.bin"))).isEqualTo(999_000);
    }

    private static List<String> listing() throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
