package dev.lightd.it;

import dev.lightd.TestPorts;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A config the daemon cannot use stops it at start with one line naming the key, never a stack trace. */
class ConfigStartupIT {

    @Test
    void malformedConfigStopsTheDaemonWithTheKeyAndTheProblem() throws Exception {
        Path data = Files.createTempDirectory("lightd-it-badcfg-");
        Files.writeString(data.resolve("config.json"),
                "{\"server\": {\"port\": 8070}, \"authorization\": {\"enabled\": \"yes\"}}");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-jar", DaemonProcess.jar().toString(), "serve", "--data", data.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("lightd: configuration error: ").contains("key 'authorization.enabled'")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void tokenCommandsReadAndChangeTheConfig() throws Exception {
        Path data = Files.createTempDirectory("lightd-it-token-");
        assertThat(cli(data, "token", "what")).startsWith("2:").contains("config.json").doesNotContain("\tat ");
        Files.writeString(data.resolve("config.json"), "{\"server\": {\"port\": " + TestPorts.free() + "}}");
        assertThat(cli(data, "token", "set", "short")).startsWith("2:").contains("at least 16");
        assertThat(cli(data, "token", "set", "lightd_11112222333344445555666677778888"))
                .startsWith("0:lightd_11112222333344445555666677778888");
        assertThat(cli(data, "token", "what")).isEqualTo("0:lightd_11112222333344445555666677778888\n");
        String reset = cli(data, "token", "reset");
        assertThat(reset).matches("(?s)0:lightd_[0-9a-f]{32}\n.*");
        assertThat(cli(data, "token", "what")).isEqualTo(reset.substring(0, 41) + "\n");
        assertThat(cli(data, "version")).isEqualTo("0:lightd 0.1.0\n");
    }

    /** Runs the CLI; answers "exit:stdout" with stderr after it. */
    private static String cli(Path data, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        var cmd = new ArrayList<>(List.of(java, "-jar", DaemonProcess.jar().toString()));
        cmd.addAll(List.of(args));
        if (!args[0].equals("version")) {
            cmd.addAll(List.of("--data", data.toString()));
        }
        Process p = new ProcessBuilder(cmd).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + new String(p.getInputStream().readAllBytes())
                + new String(p.getErrorStream().readAllBytes());
    }
}
