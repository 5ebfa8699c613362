package dev.lightd;

import dev.lightd.audit.AuditLog;
import dev.lightd.auth.TokenService;
import dev.lightd.auth.McctlCredentials;
import dev.lightd.config.LiveConfig;
import dev.lightd.console.ConsoleHub;
import dev.lightd.fs.DiskReserve;
import dev.lightd.jvm.HeapTrim;
import dev.lightd.http.mcctl.McctlApi;
import dev.lightd.minecraft.MinecraftService;
import dev.lightd.minecraft.ServerFiles;
import dev.lightd.minecraft.ServerFolders;
import dev.lightd.minecraft.WorldFolders;
import dev.lightd.minecraft.WorldService;
import dev.lightd.supervisor.CrashPolicy;
import dev.lightd.supervisor.Supervisor;
import dev.lightd.supervisor.SupervisorPolicy;
import dev.lightd.store.AuditStore;
import dev.lightd.store.McctlAuthStore;
import dev.lightd.store.MinecraftStore;
import dev.lightd.store.NodeStore;
import dev.lightd.container.ContainerService;
import dev.lightd.remote.PanelSync;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.Hardening;
import dev.lightd.runtime.DockerRuntime;
import dev.lightd.store.ContainerStore;
import dev.lightd.store.OutboxStore;
import dev.lightd.http.lightd.LightdApi;
import dev.lightd.network.PortPoolService;
import dev.lightd.store.Database;
import dev.lightd.store.PortStore;
import dev.lightd.store.TokenStore;
import dev.lightd.store.VolumeStore;
import dev.lightd.volume.QuotaWatch;
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
import java.time.Duration;

/** Wires the layers together and runs both faces; the one place that knows every part. */
public final class Daemon implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Database db;
    private final Javalin lightdApi;
    private final Javalin mcctlApi;
    private final AutoCloseable[] parts;

    private Daemon(Database db, Javalin lightdApi, Javalin mcctlApi, AutoCloseable... parts) {
        this.db = db;
        this.lightdApi = lightdApi;
        this.mcctlApi = mcctlApi;
        this.parts = parts;
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
        ContainerStore containerStore = new ContainerStore(db);
        DiskReserve reserve = DiskReserve.of(dataDir, () -> config.get().storage().reservedFreeBytes());
        VolumeService volumes = new VolumeService(config, new VolumeStore(db), containerStore::usesVolume, clock,
                reserve);
        volumes.reconcileAtStart();
        PortStore portStore = new PortStore(db);
        PortPoolService ports = new PortPoolService(portStore);
        PanelSync panel = new PanelSync(config, new OutboxStore(db), clock);
        ContainerRuntime runtime = new DockerRuntime(config.get().docker().socketPath(), new NodeStore(db).id());
        Supervisor supervisor = new Supervisor(runtime, policy(config), clock);
        ContainerService containers = new ContainerService(runtime, containerStore, portStore, volumes, panel,
                supervisor, Duration.ofMillis(config.get().supervisor().stopTimeoutMs()), clock, dataDir,
                () -> hardening(config));
        MinecraftStore mcStore = new MinecraftStore(db);
        WorldFolders worldFolders = new WorldFolders(mcStore, dataDir.resolve("worlds"), clock, reserve);
        ServerFolders serverFolders = new ServerFolders(dataDir.resolve("servers"));
        MinecraftService minecraft = new MinecraftService(runtime, mcStore, config, clock, supervisor, worldFolders,
                serverFolders, Duration.ofSeconds(2), () -> hardening(config));
        ServerFiles serverFiles = new ServerFiles(minecraft, serverFolders, reserve);
        serverFiles.removeTempFiles();
        supervisor.start();
        QuotaWatch quotaWatch = new QuotaWatch(volumes,
                () -> Duration.ofMillis(config.get().storage().diskCheckIntervalMs()), containers::volumeOverLimit).start();

        HeapTrim heapTrim = HeapTrim.ofThisJvm(() -> Duration.ofMillis(config.get().monitoring().heapTrimIntervalMs()))
                .start();

        WorldService worlds = new WorldService(mcStore, minecraft, worldFolders, clock);
        McctlCredentials credentials = new McctlCredentials(new McctlAuthStore(db), clock);

        AuditLog audit = new AuditLog(new AuditStore(db), clock,
                () -> Duration.ofDays(config.get().audit().retentionDays()),
                Duration.ofMinutes(config.get().audit().pruneIntervalMinutes()));

        Javalin lightd = LightdApi.create(new LightdApi.Services(config, tokens, volumes, ports, containers, metrics,
                audit, clock));
        Javalin mcctl = McctlApi.create(new McctlApi.Services(config, minecraft, worlds, credentials, clock, metrics,
                audit, serverFiles));
        var server = config.get().server();
        lightd.start();
        log.info("event=listening face=lightd host={} port={}", server.host(), lightd.port());
        mcctl.start();
        log.info("event=listening face=mcctl host={} port={}", server.host(), mcctl.port());
        return new Daemon(db, lightd, mcctl, quotaWatch, heapTrim, supervisor, minecraft, panel, runtime, audit);
    }

    /** The supervisor's timings from the config: stop timeout, crash backoff and window, stats interval. */
    private static SupervisorPolicy policy(LiveConfig config) {
        var sv = config.get().supervisor();
        return new SupervisorPolicy(Duration.ofSeconds(10), Duration.ofMillis(500),
                Duration.ofMillis(config.get().monitoring().statsIntervalMs()), Duration.ofSeconds(30),
                new CrashPolicy.Settings(sv.maxCrashes(), Duration.ofMillis(sv.crashWindowMs()),
                        Duration.ofMillis(sv.crashBackoffMs())),
                () -> {
                    var c = config.get().console();
                    return new ConsoleHub.Limits(c.outputLinesPerSecond(), c.outputBurstLines(), c.historyMaxBytes());
                });
    }

    /**
     * The confinement of every container both faces make, from the config's containers section as it
     * is now (a reload applies to containers created after it).
     */
    static Hardening hardening(LiveConfig config) {
        var c = config.get().containers();
        return new Hardening(c.pidsLimit(), c.noNewPrivileges(), c.capDrop(), c.tmpSizeBytes());
    }

    /** The store, for a test that makes it fail under the running daemon. */
    public Database database() {
        return db;
    }

    public int lightdPort() {
        return lightdApi.port();
    }

    public int mcctlPort() {
        return mcctlApi.port();
    }

    @Override
    public void close() {
        lightdApi.stop();
        mcctlApi.stop();
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                log.warn("event=shutdown_step_failed part={} error=\"{}\"", part.getClass().getSimpleName(), e.getMessage());
            }
        }
        db.close();
    }
}
