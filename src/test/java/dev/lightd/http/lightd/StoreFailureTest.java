package dev.lightd.http.lightd;

import dev.lightd.TestPorts;
import dev.lightd.Daemon;
import dev.lightd.config.ConfigFile;
import dev.lightd.config.LiveConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store that fails answers the seed's 500: the daemon wired exactly as `serve` wires it, with
 * the real HTTP stack and a real SQLite file closed under it.
 */
class StoreFailureTest {

    @TempDir
    Path dir;

    @Test
    void failingStoreAnswersDatabaseOperationFailed() throws Exception {
        ConfigFile file = new ConfigFile(dir);
        Files.writeString(dir.resolve("config.json"), "{\"server\": {\"host\": \"127.0.0.1\", \"port\": "
                + TestPorts.free() + ", \"mcctl_port\": " + TestPorts.free() + "}, \"authorization\": {\"token\":"
                + " \"lightd_0123456789abcdef\"}}");
        LiveConfig config = new LiveConfig(file, file.load());
        try (Daemon daemon = Daemon.start(dir, config); HttpClient client = HttpClient.newHttpClient()) {
            daemon.database().close();
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + daemon.lightdPort() + "/network/ports"))
                    .header("Authorization", "Bearer " + config.get().authorization().token()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(500);
            assertThat(res.body()).isEqualTo("{\"error\":\"Database operation failed\"}");
        }
    }
}
