package dev.lightd.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.stream.Collectors;
import java.util.Set;
import java.util.Locale;

/**
 * Reads, validates and writes {@code <data>/config.json}. Keys missing from the file take their
 * defaults; unknown keys and wrong types are refused with the key's dotted path.
 */
public final class ConfigFile {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dataDir;
    private final Path file;

    public ConfigFile(Path dataDir) {
        this.dataDir = dataDir;
        this.file = dataDir.resolve("config.json");
    }

    public Path path() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** Creates config.json with defaults and a fresh master token when it is missing. */
    public LightdConfig loadOrCreate() {
        if (!exists()) {
            LightdConfig fresh = LightdConfig.defaults(dataDir, newMasterToken());
            write(fresh);
            return fresh;
        }
        return load();
    }

    public LightdConfig load() {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
        return parse(text);
    }

    LightdConfig parse(String text) {
        JsonNode userTree;
        try {
            userTree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (userTree == null || !userTree.isObject()) {
            throw new ConfigException(file + ": must hold a JSON object");
        }
        ObjectNode merged = MAPPER.valueToTree(LightdConfig.defaults(dataDir, ""));
        LightdConfig config;
        try {
            merge(merged, (ObjectNode) userTree, "");
            config = MAPPER.treeToValue(merged, LightdConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + dotted(e) + "'");
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": key '" + dotted(e) + "': " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": " + e.getOriginalMessage());
        }
        validate(config);
        return config;
    }

    /** Objects merge key by key; any other user value replaces the default, so type errors surface in binding. */
    private static void merge(ObjectNode target, ObjectNode user, String prefix) {
        user.properties().forEach(entry -> {
            JsonNode existing = target.get(entry.getKey());
            JsonNode value = entry.getValue();
            if (existing != null && existing.isObject()) {
                if (!value.isObject()) {
                    throw new ConfigException("key '" + prefix + entry.getKey() + "': must be an object");
                }
                merge((ObjectNode) existing, (ObjectNode) value, prefix + entry.getKey() + ".");
            } else {
                target.set(entry.getKey(), value);
            }
        });
    }

    private static String dotted(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private void validate(LightdConfig c) {
        require(c.server().host() != null && !c.server().host().isBlank(), "server.host", "must not be empty");
        requirePort(c.server().port(), "server.port");
        requirePort(c.server().mcctlPort(), "server.mcctl_port");
        require(c.server().port() != c.server().mcctlPort(), "server.mcctl_port", "must differ from server.port");
        require(c.server().maxBodyBytes() >= 1024, "server.max_body_bytes", "must be at least 1024");
        require(!c.authorization().enabled()
                        || (c.authorization().token() != null && c.authorization().token().length() >= 16),
                "authorization.token", "must be at least 16 characters when authorization is enabled");
        var vendor = c.authorization().vendor();
        require(!vendor.enabled() || (notBlank(vendor.header()) && notBlank(vendor.value())),
                "authorization.vendor", "header and value must be set when enabled");
        require(notBlank(c.docker().socketPath()), "docker.socket_path", "must not be empty");
        require(notBlank(c.storage().volumesPath()) && Path.of(c.storage().volumesPath()).isAbsolute(),
                "storage.volumes_path", "must be an absolute path");
        require(c.storage().maxExtractBytes() > 0, "storage.max_extract_bytes", "must be positive");
        require(c.storage().maxExtractEntries() > 0, "storage.max_extract_entries", "must be positive");
        require(c.storage().reservedFreeBytes() >= 0, "storage.reserved_free_bytes", "must be 0 (off) or positive");
        require(c.storage().diskCheckIntervalMs() >= 50, "storage.disk_check_interval_ms", "must be at least 50");
        require(c.storage().maxUploadBytes() > 0, "storage.max_upload_bytes", "must be positive");
        require(c.storage().maxUploadFiles() > 0, "storage.max_upload_files", "must be positive");
        require(c.storage().maxReadBytes() > 0
                        && c.storage().maxReadBytes() <= LightdConfig.StorageConfig.READ_BYTES_CAP,
                "storage.max_read_bytes", "must be from 1 to " + LightdConfig.StorageConfig.READ_BYTES_CAP);
        if (c.remote().enabled()) {
            require(isHttpUrl(c.remote().url()), "remote.url", "must be an http(s) URL when remote is enabled");
            require(notBlank(c.remote().token()), "remote.token", "must be set when remote is enabled");
        }
        require(c.monitoring().statsIntervalMs() >= 100, "monitoring.stats_interval_ms", "must be at least 100");
        var sv = c.supervisor();
        require(sv.stopTimeoutMs() >= 0, "supervisor.stop_timeout_ms", "must not be negative");
        require(sv.crashBackoffMs() >= 0, "supervisor.crash_backoff_ms", "must not be negative");
        require(sv.crashWindowMs() >= 1, "supervisor.crash_window_ms", "must be at least 1");
        require(sv.maxCrashes() >= 1, "supervisor.max_crashes", "must be at least 1");
        var mc = c.mcctl();
        require(notBlank(mc.image()), "mcctl.image", "must not be empty");
        require(mc.stopTimeoutSeconds() >= 1, "mcctl.stop_timeout_seconds", "must be at least 1");
        require(mc.heartbeatSeconds() >= 1, "mcctl.heartbeat_seconds", "must be at least 1");
        require(mc.rconWaitSeconds() >= 0, "mcctl.rcon_wait_seconds", "must not be negative");
        require(Set.of("disabled", "api-key", "ip-whitelist", "basic", "combined").contains(mc.auth().mode()),
                "mcctl.auth.mode", "must be disabled, api-key, ip-whitelist, basic or combined");
        for (String cidr : mc.auth().ipWhitelist()) {
            require(Cidr.isValid(cidr), "mcctl.auth.ip_whitelist", "not an address or CIDR: " + cidr);
        }
        for (String cidr : mc.auth().trustedProxies()) {
            require(Cidr.isValid(cidr), "mcctl.auth.trusted_proxies", "not an address or CIDR: " + cidr);
        }
        var ct = c.containers();
        require(ct.pidsLimit() >= 16 && ct.pidsLimit() <= 4_194_304, "containers.pids_limit",
                "must be from 16 to 4194304, got " + ct.pidsLimit());
        require(ct.capDrop() != null, "containers.cap_drop", "must be a list of capability names");
        for (String cap : ct.capDrop()) {
            String name = cap == null ? "" : cap.toLowerCase(Locale.ROOT).replaceFirst("^cap_", "");
            require(LightdConfig.ContainersConfig.KNOWN_CAPABILITIES.contains(name), "containers.cap_drop",
                    "not a Linux capability: " + cap);
        }
        require(ct.tmpSizeBytes() == 0 || ct.tmpSizeBytes() >= 1024 * 1024, "containers.tmp_size_bytes",
                "must be 0 (no /tmp tmpfs) or at least 1048576");
        require(c.monitoring().consoleStallTimeoutMs() >= 100, "monitoring.console_stall_timeout_ms",
                "must be at least 100");
        long trim = c.monitoring().heapTrimIntervalMs();
        require(trim == 0 || trim >= 1000, "monitoring.heap_trim_interval_ms", "must be 0 (off) or at least 1000");
        var cs = c.console();
        require(cs.maxClientsPerContainer() >= 1, "console.max_clients_per_container", "must be at least 1");
        require(cs.maxFrameBytes() >= 256 && cs.maxFrameBytes() <= 16 * 1024 * 1024, "console.max_frame_bytes",
                "must be from 256 to 16777216, got " + cs.maxFrameBytes());
        require(cs.messagesPerSecond() >= 1, "console.messages_per_second", "must be at least 1");
        require(cs.messageBurst() >= 1, "console.message_burst", "must be at least 1");
        require(cs.outputLinesPerSecond() >= 1, "console.output_lines_per_second", "must be at least 1");
        require(cs.outputBurstLines() >= 1, "console.output_burst_lines", "must be at least 1");
        require(cs.historyMaxBytes() >= 1024, "console.history_max_bytes", "must be at least 1024");
        require(cs.clientQueueEvents() >= 16 && cs.clientQueueEvents() <= 1_048_576, "console.client_queue_events",
                "must be from 16 to 1048576, got " + cs.clientQueueEvents());
        require(cs.clientQueueBytes() >= 65_536 && cs.clientQueueBytes() <= 1L << 30, "console.client_queue_bytes",
                "must be from 65536 to 1073741824, got " + cs.clientQueueBytes());
        require(c.audit().retentionDays() >= 1 && c.audit().retentionDays() <= 36_500, "audit.retention_days",
                "must be from 1 to 36500, got " + c.audit().retentionDays());
        require(c.audit().pruneIntervalMinutes() >= 1 && c.audit().pruneIntervalMinutes() <= 10_080,
                "audit.prune_interval_minutes", "must be from 1 to 10080, got " + c.audit().pruneIntervalMinutes());
    }

    private void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException(file + ": key '" + key + "': " + problem);
        }
    }

    private void requirePort(int port, String key) {
        require(port >= 1 && port <= 65535, key, "must be between 1 and 65535, got " + port);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI uri = URI.create(s);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Sets the master token in the file as it is, keeping every other key, so a config whose only
     * problem is its token can be mended from the command line.
     */
    public LightdConfig replaceToken(String token) {
        ObjectNode tree;
        try {
            JsonNode node = exists() ? MAPPER.readTree(file.toFile()) : MAPPER.createObjectNode();
            if (node == null || !node.isObject()) {
                throw new ConfigException(file + ": must hold a JSON object");
            }
            tree = (ObjectNode) node;
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
        JsonNode auth = tree.get("authorization");
        ObjectNode authNode = auth instanceof ObjectNode o ? o : tree.putObject("authorization");
        authNode.put("token", token);
        LightdConfig config = parse(tree.toString());
        write(config);
        return config;
    }

    /** Atomic replace: a crash mid-write never leaves a half-written config. */
    public void write(LightdConfig config) {
        try {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, ".config", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, MAPPER.writeValueAsBytes(config));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be written: " + e.getMessage());
        }
    }

    public static String newMasterToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return "lightd_" + HexFormat.of().formatHex(bytes);
    }
}
