package dev.lightd.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

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
        McctlConfig mcctl,
        ContainersConfig containers,
        ConsoleConfig console,
        AuditConfig audit) {

    public static final String CURRENT_VERSION = "0.1.0";

    public record ServerConfig(String host, int port, int mcctlPort, long maxBodyBytes) {}

    public record AuthorizationConfig(boolean enabled, String token, VendorConfig vendor) {}

    /** Lightd's own clients send {@code Accept: Application/vnd.pkglatv1+json}; checked only when enabled. */
    public record VendorConfig(boolean enabled, String header, String value) {}

    public record DockerConfig(String socketPath) {}

    /**
     * reservedFreeBytes: below this much free space on the data filesystem every client write is
     * refused (507) so the store can always commit (0 disables); diskCheckIntervalMs: the pause
     * between walks of the volumes that have a size limit. maxUploadBytes: the most file bytes one
     * upload request may write (all its files together), counted while the body streams in, whatever
     * server.max_body_bytes says; maxUploadFiles: the most files in one upload; maxReadBytes: the
     * largest file the mcctl face opens as text (files/read), at most 64 MiB since it is answered
     * inside a JSON string.
     */
    public record StorageConfig(String volumesPath, long maxExtractBytes, long maxExtractEntries,
                                long reservedFreeBytes, long diskCheckIntervalMs,
                                long maxUploadBytes, int maxUploadFiles, long maxReadBytes) {

        public static final long READ_BYTES_CAP = 64L * 1024 * 1024;
    }

    public record RemoteConfig(boolean enabled, String url, String token) {}

    /**
     * consoleStallTimeoutMs: a console client whose send is stuck this long is dropped. heapTrimIntervalMs:
     * how often a heap grown after a burst is collected to give memory back (0: never).
     */
    public record MonitoringConfig(boolean metricsEnabled, long statsIntervalMs, long consoleStallTimeoutMs,
                                   long heapTrimIntervalMs) {}

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

    /**
     * What every server and install container of both faces is confined by: at most pids_limit
     * processes (a container's own limits.pids replaces it), no-new-privileges, the capabilities in
     * cap_drop dropped (names without CAP_, any case), /tmp a tmpfs of tmp_size_bytes (0 = none).
     */
    public record ContainersConfig(long pidsLimit, boolean noNewPrivileges, List<String> capDrop, long tmpSizeBytes) {

        /** Linux capability names (capabilities(7)), lower case without CAP_: what cap_drop may hold. */
        public static final Set<String> KNOWN_CAPABILITIES = Set.of("audit_control", "audit_read", "audit_write",
                "block_suspend", "bpf", "checkpoint_restore", "chown", "dac_override", "dac_read_search", "fowner",
                "fsetid", "ipc_lock", "ipc_owner", "kill", "lease", "linux_immutable", "mac_admin", "mac_override",
                "mknod", "net_admin", "net_bind_service", "net_broadcast", "net_raw", "perfmon", "setfcap", "setgid",
                "setpcap", "setuid", "sys_admin", "sys_boot", "sys_chroot", "syslog", "sys_module", "sys_nice",
                "sys_pacct", "sys_ptrace", "sys_rawio", "sys_resource", "sys_time", "sys_tty_config", "wake_alarm");

        public static ContainersConfig defaults() {
            return new ContainersConfig(512, true, List.of("setpcap", "mknod", "audit_write", "net_raw",
                    "dac_override", "fowner", "fsetid", "net_bind_service", "sys_chroot", "setfcap", "sys_ptrace"),
                    100L * 1024 * 1024);
        }
    }

    /**
     * The bounds of every container's console. Per container: at most max_clients_per_container
     * WebSocket clients; output beyond output_lines_per_second (a token bucket holding
     * output_burst_lines) is dropped from the live fan-out; the history sent on connect is at most
     * history_max_bytes. Per WebSocket: inbound frames over max_frame_bytes close it (1009);
     * messages beyond messages_per_second (bucket of message_burst) are dropped with a throttled
     * frame. Per client: a queue of client_queue_events lines holding at most client_queue_bytes; a
     * client that falls further behind skips lines.
     */
    public record ConsoleConfig(int maxClientsPerContainer, int maxFrameBytes, int messagesPerSecond,
                                int messageBurst, int outputLinesPerSecond, int outputBurstLines,
                                int historyMaxBytes, int clientQueueEvents, long clientQueueBytes) {

        public static ConsoleConfig defaults() {
            return new ConsoleConfig(30, 4096, 20, 40, 20_000, 20_000, 256 * 1024, 16_384, 4L * 1024 * 1024);
        }
    }

    /**
     * The audit log of both faces: entries older than retention_days are deleted, in batches, at
     * start and every prune_interval_minutes (a reload changes the retention at the next prune).
     */
    public record AuditConfig(int retentionDays, int pruneIntervalMinutes) {
        public static AuditConfig defaults() {
            return new AuditConfig(90, 60);
        }
    }

    public static LightdConfig defaults(Path dataDir, String token) {
        return new LightdConfig(
                CURRENT_VERSION,
                new ServerConfig("0.0.0.0", 8070, 5001, 16L * 1024 * 1024),
                new AuthorizationConfig(true, token,
                        new VendorConfig(false, "Accept", "application/vnd.pkglat")),
                new DockerConfig("/var/run/docker.sock"),
                new StorageConfig(dataDir.resolve("volumes").toString(), 10L * 1024 * 1024 * 1024, 100_000,
                        1024L * 1024 * 1024, 10_000, 100L * 1024 * 1024, 100, 5L * 1024 * 1024),
                new RemoteConfig(false, "", ""),
                new MonitoringConfig(true, 1000, 10_000, 60_000),
                new SupervisorConfig(30_000, 1000, 60_000, 3),
                new McctlConfig("itzg/minecraft-server", "{name}.{ip}.nip.io", "", 30, 15, 60,
                        new McctlAuthConfig("api-key", List.of(), List.of("127.0.0.1", "::1"), 5, 300)),
                ContainersConfig.defaults(),
                ConsoleConfig.defaults(),
                AuditConfig.defaults());
    }
}
