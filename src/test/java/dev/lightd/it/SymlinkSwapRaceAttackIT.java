package dev.lightd.it;

import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import dev.lightd.fs.FolderTree;

/**
 * The time-of-check/time-of-use attack (Wings' race_test): while requests write, copy, compress
 * and list inside a folder, the attacker keeps swapping that folder for a symlink to a folder
 * outside the volume. Resolving each path with openat2(RESOLVE_BENEATH) at the moment of use
 * means no interleaving lets a byte land outside, whatever each request answers.
 */
@Isolated
class SymlinkSwapRaceAttackIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults();

    @Test
    void swappingAFolderForAnOutwardLinkMidRequestNeverReachesOutside() throws Exception {
        Outside outside = new Outside();
        Map<String, String> before = outside.snapshot();
        ApiClient api = daemon.api();
        var created = api.post("/volumes", null).json();
        String vol = created.get("volume_id").asText();
        Path root = Path.of(created.get("path").asText());
        Path swapped = root.resolve("data");
        Files.createDirectories(swapped);

        AtomicBoolean stop = new AtomicBoolean();
        LongAdder swaps = new LongAdder();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        List<Map<String, Object>> attempts = List.of(
                Map.of("path", "data/pwned.txt", "content", "owned"),
                Map.of("path", "data/sub/pwned.txt", "content", "owned"));
        try (var pool = Executors.newFixedThreadPool(5)) {
            pool.submit(() -> {
                while (!stop.get()) {
                    try {
                        swapToLink(swapped, outside.dir);
                        swapToFolder(swapped);
                        swaps.increment();
                    } catch (IOException ignored) {
                        // a request made or removed something meanwhile: swap again
                    }
                }
            });
            for (int t = 0; t < 4; t++) {
                int worker = t;
                pool.submit(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        var res = switch (i++ % 5) {
                            case 0, 1 -> api.post("/volumes/" + vol + "/files", attempts.get(worker % 2));
                            case 2 -> api.post("/volumes/" + vol + "/folders", Map.of("path", "data/sub"));
                            case 3 -> api.post("/volumes/" + vol + "/copy",
                                    Map.of("source", "seed.txt", "destination", "data/copied.txt"));
                            default -> api.post("/volumes/" + vol + "/decompress",
                                    Map.of("archive_path", "seed.tar.gz", "destination", "data"));
                        };
                        statuses.computeIfAbsent(res.status(), k -> new LongAdder()).increment();
                    }
                });
            }
            api.post("/volumes/" + vol + "/files", Map.of("path", "seed.txt", "content", "seed"));
            api.post("/volumes/" + vol + "/compress", Map.of("format", "tar.gz", "output_name", "seed", "path", "seed.txt"));
            Thread.sleep(4000);
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        Map<Integer, Long> seen = new TreeMap<>();
        statuses.forEach((k, v) -> seen.put(k, v.sum()));
        System.out.println("symlink swap race: " + swaps.sum() + " swaps, answers by status " + seen);
        assertThat(swaps.sum()).as("the attacker really raced").isGreaterThan(100);
        assertThat(seen.keySet()).as("refusals are 4xx, successes land inside").allMatch(s -> s == 200 || (s >= 400 && s < 500));
        assertThat(seen).as("some requests ran while the link was in place").containsKey(400);
        assertThat(outside.snapshot()).as("nothing outside the volume changed").isEqualTo(before);
    }

    private static void swapToLink(Path swapped, Path target) throws IOException {
        if (!Files.isSymbolicLink(swapped)) {
            Path aside = swapped.resolveSibling("aside-" + System.nanoTime());
            Files.move(swapped, aside);
            Files.createSymbolicLink(swapped, target);
            FolderTree.delete(aside);
        }
    }

    private static void swapToFolder(Path swapped) throws IOException {
        if (Files.isSymbolicLink(swapped)) {
            Files.delete(swapped);
            Files.createDirectory(swapped);
        }
    }
}
