package dev.lightd.config;

import java.nio.file.Path;
import java.util.List;

/** The whole of config.json. Keys are snake_case on disk. */
public record LightdConfig(
        String version,
        ServerConfig server,
        AuthorizationConfig authorization,
        DockerConfig docker,
        StorageConfig storage,
        RemoteConfig remote,
        MonitoringConfig monitoring,
        SupervisorConfig supervisor,
        McctlConfig mcctl) {

    public static final String CURRENT_VERSION = "0.1.0";

    public record ServerConfig(String host, int port, int mcctlPort, long maxBodyBytes) {}

    public record AuthorizationConfig(boolean enabled, String token, VendorConfig vendor) {}

    /** Lightd's own clients send {@code Accept: Application/vnd.pkglatv1+json}; checked only when enabled. */
    public record VendorConfig(boolean enabled, String header, String value) {}

    public record DockerConfig(String socketPath) {}

    public record StorageConfig(String volumesPath, long maxExtractBytes, long maxExtractEntries) {}

    public record RemoteConfig(boolean enabled, String url, String token) {}

    /** consoleStallTimeoutMs: a console client whose send is stuck this long is dropped. */
    public record MonitoringConfig(boolean metricsEnabled, long statsIntervalMs, long consoleStallTimeoutMs) {}

    /**
     * How servers of both faces are stopped and restarted after a crash: the Lightd face's stop
     * timeout (the mcctl face has its own), the delay before the first crash restart (doubling with
     * each further crash in the window), and how many crashes within the window mean a crash loop.
     */
    public record SupervisorConfig(long stopTimeoutMs, long crashBackoffMs, long crashWindowMs, int maxCrashes) {}

    /**
     * The mcctl face. hostname_pattern takes {name} and {ip}; host_ip empty means the host's first
     * non-loopback IPv4 address; rcon_wait_seconds is how long exec waits for a starting server's RCON.
     */
    public record McctlConfig(String image, String hostnamePattern, String hostIp, int stopTimeoutSeconds,
                              int heartbeatSeconds, int rconWaitSeconds, McctlAuthConfig auth) {}

    /** mode: disabled | api-key | ip-whitelist | basic | combined. */
    public record McctlAuthConfig(String mode, List<String> ipWhitelist,
                                  List<String> trustedProxies, int maxFailedLogins,
                                  int failedLoginWindowSeconds) {}

    public static LightdConfig defaults(Path dataDir, String token) {
        return new LightdConfig(
                CURRENT_VERSION,
                new ServerConfig("0.0.0.0", 8070, 5001, 16L * 1024 * 1024),
                new AuthorizationConfig(true, token,
                        new VendorConfig(false, "Accept", "application/vnd.pkglat")),
                new DockerConfig("/var/run/docker.sock"),
                new StorageConfig(dataDir.resolve("volumes").toString(), 10L * 1024 * 1024 * 1024, 100_000),
                new RemoteConfig(false, "", ""),
                new MonitoringConfig(true, 1000, 10_000),
                new SupervisorConfig(30_000, 1000, 60_000, 3),
                new McctlConfig("itzg/minecraft-server", "{name}.{ip}.nip.io", "", 30, 15, 60,
                        new McctlAuthConfig("api-key", List.of(), List.of("127.0.0.1", "::1"), 5, 300)));
    }
}
