package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class McContainerTest {

    private static Map<String, String> env(String seed) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("EULA", "TRUE");
        env.put("TYPE", "PAPER");
        env.put("VERSION", "1.21.1");
        env.put("MEMORY", "1G");
        env.put("LEVEL", "it-world");
        env.put("SEED", seed);
        env.put("RCON_PASSWORD", "0123456789abcdef0123456789abcdef");
        return env;
    }

    @Test
    void checkedValuesPass() {
        assertThatCode(() -> McContainer.refuseUnsafe(env("Hello World (v2): -42!"), "it-a")).doesNotThrowAnyException();
    }

    @Test
    void aStoredValueThatPredatesTheChecksIsRefusedBeforeTheEngine() {
        for (String seed : new String[] {"${RCON_PASSWORD}", "{{.Env.X}}", "a\nEULA=FALSE", "a=b", "a\u0000", "`id`",
                "a\\b", "'a'", "\"a\""}) {
            assertThatThrownBy(() -> McContainer.refuseUnsafe(env(seed), "it-a")).as(seed)
                    .isInstanceOf(ServiceException.class).hasMessageContaining("stored SEED");
        }
    }

    @Test
    void anExistingContainerIsAdoptedOnlyWhenItsOwnVariablesPass() {
        Map<String, String> env = env("12345");
        env.put("JAVA_TOOL_OPTIONS", "-Dx=y"); // the image's own variables are the image's business
        assertThat(McContainer.safeEnv(env)).isTrue();
        assertThat(McContainer.safeEnv(env("${RCON_PASSWORD}"))).isFalse();
        assertThat(McContainer.safeEnv(env("a\nEULA=FALSE"))).isFalse();
    }
}
