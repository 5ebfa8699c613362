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

    /** Parses the given config with a valid master token added, so each test shows one problem only. */
    private LightdConfig parse(String json) {
        String withToken = json.replaceFirst("^\\{", "{\"authorization\": {\"token\": \"lightd_0123456789abcdef\"}, ");
        return new ConfigFile(dir).parse(withToken.replace(", }", "}"));
    }
}
