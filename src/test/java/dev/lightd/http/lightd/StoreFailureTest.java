package dev.lightd.http.lightd;

import dev.lightd.auth.TokenService;
import dev.lightd.config.ConfigFile;
import dev.lightd.config.LiveConfig;
import dev.lightd.network.PortPoolService;
import dev.lightd.container.ContainerService;
import dev.lightd.remote.PanelSync;
import dev.lightd.runtime.DockerRuntime;
import dev.lightd.store.ContainerStore;
import dev.lightd.store.Database;
import dev.lightd.store.OutboxStore;
import dev.lightd.store.PortStore;
import dev.lightd.store.TokenStore;
import dev.lightd.store.VolumeStore;
import dev.lightd.volume.VolumeService;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** A store that fails answers the seed's 500, with the real HTTP stack and a real (closed) SQLite file. */
class StoreFailureTest {

    @TempDir
    Path dir;

    private static int freePort() throws java.io.IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void failingStoreAnswersDatabaseOperationFailed() throws Exception {
        ConfigFile file = new ConfigFile(dir);
        java.nio.file.Files.writeString(dir.resolve("config.json"), "{\"server\": {\"host\": \"127.0.0.1\", \"port\": "
                + freePort() + "}, \"authorization\": {\"token\": \"lightd_0123456789abcdef\"}}");
        LiveConfig config = new LiveConfig(file, file.load());
        Database db = Database.open(dir.resolve("lightd.db"));
        var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var containerStore = new ContainerStore(db);
        var volumes = new VolumeService(config, new VolumeStore(db), containerStore::usesVolume, Clock.systemUTC());
        var portStore = new PortStore(db);
        var panel = new PanelSync(config, new OutboxStore(db), Clock.systemUTC());
        var runtime = new DockerRuntime(config.get().docker().socketPath(), "store-failure-test");
        var containers = new ContainerService(runtime, containerStore, portStore, volumes, panel, config,
                Clock.systemUTC(), dir);
        Javalin app = LightdApi.create(new LightdApi.Services(config,
                new TokenService(config, new TokenStore(db), Clock.systemUTC()), volumes,
                new PortPoolService(portStore), containers, metrics));
        app.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            db.close();
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + app.port() + "/network/ports"))
                    .header("Authorization", "Bearer " + config.get().authorization().token()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(500);
            assertThat(res.body()).isEqualTo("{\"error\":\"Database operation failed\"}");
        } finally {
            app.stop();
            panel.close();
            runtime.close();
        }
    }
}
