package dev.lightd.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void firstStartWritesDefaultsWithAFreshPrivateToken() throws Exception {
        ConfigFile file = new ConfigFile(dir);
        LightdConfig config = file.loadOrCreate();
        assertThat(config.authorization().token()).matches("lightd_[0-9a-f]{32}");
        assertThat(config.server().port()).isEqualTo(8070);
        assertThat(config.server().mcctlPort()).isEqualTo(5001);
        assertThat(config.storage().volumesPath()).isEqualTo(dir.resolve("volumes").toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(file.load()).isEqualTo(config);
        assertThat(new ConfigFile(dir).loadOrCreate().authorization().token())
                .isEqualTo(config.authorization().token());
    }

    @Test
    void missingKeysTakeDefaults() {
        LightdConfig config = parse("{\"server\": {\"port\": 9000}}");
        assertThat(config.server().port()).isEqualTo(9000);
        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.docker().socketPath()).isEqualTo("/var/run/docker.sock");
    }

    @Test
    void diskKeysHaveTheirDefaultsAndAreChecked() {
        LightdConfig config = parse("{}");
        assertThat(config.storage().reservedFreeBytes()).isEqualTo(1024L * 1024 * 1024);
        assertThat(config.storage().diskCheckIntervalMs()).isEqualTo(10_000);
        assertThat(parse("{\"storage\": {\"reserved_free_bytes\": 0, \"disk_check_interval_ms\": 50}}").storage())
                .extracting(LightdConfig.StorageConfig::reservedFreeBytes, LightdConfig.StorageConfig::diskCheckIntervalMs)
                .containsExactly(0L, 50L);
        assertThatThrownBy(() -> parse("{\"storage\": {\"reserved_free_bytes\": -1}}"))
                .hasMessageContaining("key 'storage.reserved_free_bytes': must be 0 (off) or positive");
        assertThatThrownBy(() -> parse("{\"storage\": {\"disk_check_interval_ms\": 10}}"))
                .hasMessageContaining("key 'storage.disk_check_interval_ms': must be at least 50");
    }

    @Test
    void wrongTypeNamesTheKey() {
        assertThatThrownBy(() -> parse("{\"server\": {\"port\": \"abc\"}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'server.port'");
    }

    @Test
    void outOfRangeNamesTheKeyAndTheProblem() {
        assertThatThrownBy(() -> parse("{\"server\": {\"port\": 70000}}"))
                .hasMessageContaining("key 'server.port': must be between 1 and 65535, got 70000");
    }

    @Test
    void uploadAndReadLimitsHaveDefaultsAndBounds() {
        var storage = parse("{}").storage();
        assertThat(storage.maxUploadBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(storage.maxUploadFiles()).isEqualTo(100);
        assertThat(storage.maxReadBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(parse("{\"storage\": {\"max_upload_bytes\": 1073741824}}").storage().maxUploadBytes())
                .isEqualTo(1L << 30);
        assertThatThrownBy(() -> parse("{\"storage\": {\"max_upload_bytes\": 0}}"))
                .hasMessageContaining("key 'storage.max_upload_bytes': must be positive");
        assertThatThrownBy(() -> parse("{\"storage\": {\"max_upload_files\": 0}}"))
                .hasMessageContaining("key 'storage.max_upload_files': must be positive");
        assertThatThrownBy(() -> parse("{\"storage\": {\"max_read_bytes\": 67108865}}"))
                .hasMessageContaining("key 'storage.max_read_bytes': must be from 1 to 67108864");
    }

    @Test
    void unknownKeyIsNamed() {
        assertThatThrownBy(() -> parse("{\"server\": {\"prot\": 1}}"))
                .hasMessageContaining("unknown key 'server.prot'");
    }

    @Test
    void sectionThatIsNotAnObjectIsNamed() {
        assertThatThrownBy(() -> parse("{\"remote\": true}")).hasMessageContaining("key 'remote': must be an object");
    }

    @Test
    void brokenJsonSaysWhere() {
        assertThatThrownBy(() -> parse("{\"server\": {\n  \"port\": 80,,}}"))
                .hasMessageContaining("not valid JSON at line 2");
    }

    @Test
    void enabledRemoteNeedsAnHttpUrl() {
        assertThatThrownBy(() -> parse("{\"remote\": {\"enabled\": true, \"url\": \"ftp://x\", \"token\": \"t\"}}"))
                .hasMessageContaining("key 'remote.url'");
    }

    @Test
    void containerHardeningHasSafeDefaults() {
        var c = parse("{}").containers();
        assertThat(c.pidsLimit()).isEqualTo(512);
        assertThat(c.noNewPrivileges()).isTrue();
        assertThat(c.capDrop()).containsExactly("setpcap", "mknod", "audit_write", "net_raw", "dac_override",
                "fowner", "fsetid", "net_bind_service", "sys_chroot", "setfcap", "sys_ptrace");
        assertThat(c.tmpSizeBytes()).isEqualTo(100L * 1024 * 1024);
    }

    @Test
    void containerHardeningKeysCanBeSet() {
        var c = parse("{\"containers\": {\"pids_limit\": 2048, \"no_new_privileges\": false,"
                + " \"cap_drop\": [\"NET_RAW\", \"cap_sys_ptrace\"], \"tmp_size_bytes\": 0}}").containers();
        assertThat(c.pidsLimit()).isEqualTo(2048);
        assertThat(c.noNewPrivileges()).isFalse();
        assertThat(c.capDrop()).containsExactly("NET_RAW", "cap_sys_ptrace");
        assertThat(c.tmpSizeBytes()).isZero();
    }

    @Test
    void containerHardeningOutOfRangeIsNamed() {
        assertThatThrownBy(() -> parse("{\"containers\": {\"pids_limit\": 0}}"))
                .hasMessageContaining("key 'containers.pids_limit': must be from 16 to 4194304, got 0");
        assertThatThrownBy(() -> parse("{\"containers\": {\"pids_limit\": 5000000}}"))
                .hasMessageContaining("key 'containers.pids_limit'");
        assertThatThrownBy(() -> parse("{\"containers\": {\"cap_drop\": [\"net_raw\", \"fly\"]}}"))
                .hasMessageContaining("key 'containers.cap_drop': not a Linux capability: fly");
        assertThatThrownBy(() -> parse("{\"containers\": {\"tmp_size_bytes\": 4096}}"))
                .hasMessageContaining("key 'containers.tmp_size_bytes'");
        assertThatThrownBy(() -> parse("{\"containers\": {\"pids_limit\": \"many\"}}"))
                .hasMessageContaining("key 'containers.pids_limit'");
        assertThatThrownBy(() -> parse("{\"containers\": {\"privileged\": true}}"))
                .hasMessageContaining("unknown key 'containers.privileged'");
    }

    /** Parses the given config with a valid master token added, so each test shows one problem only. */
    @Test
    void consoleBoundsHaveDefaultsAndAreValidated() {
        var c = parse("{}").console();
        assertThat(c.maxClientsPerContainer()).isEqualTo(30);
        assertThat(c.maxFrameBytes()).isEqualTo(4096);
        assertThat(c.messagesPerSecond()).isEqualTo(20);
        assertThat(c.messageBurst()).isEqualTo(40);
        assertThat(c.outputLinesPerSecond()).isEqualTo(20_000);
        assertThat(c.historyMaxBytes()).isEqualTo(262_144);
        assertThat(parse("{\"console\": {\"max_clients_per_container\": 3}}").console().maxClientsPerContainer())
                .isEqualTo(3);
        assertThatThrownBy(() -> parse("{\"console\": {\"max_clients_per_container\": 0}}"))
                .hasMessageContaining("key 'console.max_clients_per_container': must be at least 1");
        assertThatThrownBy(() -> parse("{\"console\": {\"max_frame_bytes\": 10}}"))
                .hasMessageContaining("key 'console.max_frame_bytes'");
        assertThatThrownBy(() -> parse("{\"console\": {\"lines\": 10}}"))
                .hasMessageContaining("unknown key 'console.lines'");
    }

    private LightdConfig parse(String json) {
        String withToken = json.replaceFirst("^\\{", "{\"authorization\": {\"token\": \"lightd_0123456789abcdef\"}, ");
        return new ConfigFile(dir).parse(withToken.replace(", }", "}"));
    }
}
