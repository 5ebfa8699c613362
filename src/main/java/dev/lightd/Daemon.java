package dev.lightd;

import dev.lightd.auth.TokenService;
import dev.lightd.config.LiveConfig;
import dev.lightd.http.lightd.LightdApi;
import dev.lightd.network.PortPoolService;
import dev.lightd.store.Database;
import dev.lightd.store.PortStore;
import dev.lightd.store.TokenStore;
import dev.lightd.store.VolumeStore;
import dev.lightd.volume.VolumeService;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

/** Wires the layers together and runs both faces; the one place that knows every part. */
public final class Daemon implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Database db;
    private final Javalin lightdApi;

    private Daemon(Database db, Javalin lightdApi) {
        this.db = db;
        this.lightdApi = lightdApi;
    }

    public static Daemon start(Path dataDir, LiveConfig config) {
        Clock clock = Clock.systemUTC();
        Database db = Database.open(dataDir.resolve("lightd.db"));
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);

        TokenService tokens = new TokenService(config, new TokenStore(db), clock);
        tokens.purgeExpired();
        VolumeService volumes = new VolumeService(config, new VolumeStore(db), clock);
        PortPoolService ports = new PortPoolService(new PortStore(db));

        Javalin lightd = LightdApi.create(new LightdApi.Services(config, tokens, volumes, ports, metrics));
        var server = config.get().server();
        lightd.start(server.host(), server.port());
        log.info("event=listening face=lightd host={} port={}", server.host(), lightd.port());
        return new Daemon(db, lightd);
    }

    public int lightdPort() {
        return lightdApi.port();
    }

    @Override
    public void close() {
        lightdApi.stop();
        db.close();
    }
}
