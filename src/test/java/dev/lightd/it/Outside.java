package dev.lightd.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;

/** A folder outside every volume with a canary in it; tests check that attacks left it untouched. */
final class Outside {

    final Path dir;

    Outside() {
        try {
            dir = Files.createTempDirectory("lightd-outside-");
            Files.writeString(dir.resolve("canary.txt"), "untouched");
            Files.createDirectories(dir.resolve("sub"));
            Files.writeString(dir.resolve("sub/secret.txt"), "secret");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 400 every escape gets, in the Lightd error format. */
    static void assertTraversalRefused(ApiClient.Response res, String what) {
        Assertions.assertThat(res.status()).as(what + " -> " + res.body()).isEqualTo(400);
        Assertions.assertThat(res.json()).as(what)
                .isEqualTo(ApiClient.json("{\"error\":\"Invalid path: path traversal detected\"}"));
    }

    /** Every path under the folder (and /etc/passwd) with its content, to compare before and after. */
    Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(p -> {
                try {
                    out.put(dir.relativize(p).toString(), Files.isRegularFile(p) ? Files.readString(p) : "<dir>");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.put("/etc/passwd", Files.readString(Path.of("/etc/passwd")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
