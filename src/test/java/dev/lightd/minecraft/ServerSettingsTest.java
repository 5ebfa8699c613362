package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerSettingsTest {

    @Test
    void missingValuesTakeTheDefaults() {
        assertThat(ServerSettings.of(null, null, null, " ")).isEqualTo(new ServerSettings("VANILLA", "LATEST", "1G", null));
    }

    @Test
    void typeAndMemoryAreTakenInAnyCase() {
        assertThat(ServerSettings.of("paper", "1.21.1", "4096m", "-123"))
                .isEqualTo(new ServerSettings("PAPER", "1.21.1", "4096M", "-123"));
    }

    @Test
    void valuesThatWouldReachTheEnvironmentBrokenAreRefused() {
        assertThatThrownBy(() -> ServerSettings.of("PAPER\nEULA=FALSE", null, null, null))
                .isInstanceOf(ServiceException.class).hasMessageStartingWith("Invalid type");
        assertThatThrownBy(() -> ServerSettings.of(null, "../1.21", null, null))
                .isInstanceOf(ServiceException.class).hasMessageStartingWith("Invalid version");
        assertThatThrownBy(() -> ServerSettings.of(null, null, "lots", null))
                .isInstanceOf(ServiceException.class).hasMessageStartingWith("Invalid memory 'lots'");
        assertThatThrownBy(() -> ServerSettings.of(null, null, "128M", null))
                .isInstanceOf(ServiceException.class).hasMessageContaining("at least 256M");
        assertThatThrownBy(() -> ServerSettings.of(null, null, null, "x".repeat(65)))
                .isInstanceOf(ServiceException.class).hasMessageStartingWith("Invalid seed");
    }

    static final List<String> HOSTILE = List.of("{{.Env.RCON_PASSWORD}}", "${RCON_PASSWORD}", "$(id)", "`id`",
            "a\nEULA=FALSE", "a\rb", "a\u0000b", "a=b", "a\tb", "a\\nb", "'a'", "\"a\"", "a;b", "a%PATH%", "a\u202eb");

    @Test
    void hostileValuesAreRefusedOnEveryFieldNamingIt() {
        for (String v : HOSTILE) {
            assertThatThrownBy(() -> ServerSettings.of(v, null, null, null)).as(v)
                    .isInstanceOf(ServiceException.class).hasMessageStartingWith("Invalid type '")
                    .satisfies(e -> assertThat(((ServiceException) e).kind()).isEqualTo(ServiceException.Kind.BAD_REQUEST));
            assertThatThrownBy(() -> ServerSettings.of(null, v, null, null)).as(v)
                    .isInstanceOf(ServiceException.class).hasMessageStartingWith("Invalid version '");
            assertThatThrownBy(() -> ServerSettings.of(null, null, v, null)).as(v)
                    .isInstanceOf(ServiceException.class).hasMessageStartingWith("Invalid memory '");
            assertThatThrownBy(() -> ServerSettings.of(null, null, null, v)).as(v)
                    .isInstanceOf(ServiceException.class).hasMessageStartingWith("Invalid seed '");
        }
    }

    @Test
    void valuesAreCheckedAsSentNotAfterUpperCasing() {
        // U+FB00 (ff ligature) upper-cases to "FF", U+0131 (dotless i) to "I": refused as sent
        assertThatThrownBy(() -> ServerSettings.of("\uFB00", null, null, null)).hasMessageStartingWith("Invalid type");
        assertThatThrownBy(() -> ServerSettings.of("pap\u0131r", null, null, null)).hasMessageStartingWith("Invalid type");
        assertThatThrownBy(() -> ServerSettings.of(null, null, "1\uFF27", null)).hasMessageStartingWith("Invalid memory");
        assertThat(ServerSettings.of("fabric", "1.20.4-rc1", "512m", null).type()).isEqualTo("FABRIC");
    }

    @Test
    void seedsAreNumbersOrPlainText() {
        assertThat(ServerSettings.seed("-4172144997902289642")).isEqualTo("-4172144997902289642");
        assertThat(ServerSettings.seed("Hello World (v2): glacier!")).isEqualTo("Hello World (v2): glacier!");
        assertThat(ServerSettings.seed("Grüße 世界")).isEqualTo("Grüße 世界");
        assertThat(ServerSettings.seed("")).isNull();
        assertThat(ServerSettings.seed("   ")).isNull();
        assertThatThrownBy(() -> ServerSettings.seed(" 123")).hasMessageContaining("leading or trailing space");
        assertThatThrownBy(() -> ServerSettings.seed("123 ")).hasMessageContaining("leading or trailing space");
        assertThatThrownBy(() -> ServerSettings.seed("\n")).hasMessageStartingWith("Invalid seed '\\u000a'");
        assertThat(ServerSettings.seed("x".repeat(64))).hasSize(64);
    }

    @Test
    void aRefusedValueIsShownEscapedAndCut() {
        assertThatThrownBy(() -> ServerSettings.of(null, null, null, "a\nEULA=FALSE"))
                .hasMessageStartingWith("Invalid seed 'a\\u000aEULA=FALSE':");
        assertThatThrownBy(() -> ServerSettings.of(null, "v".repeat(100), null, null))
                .hasMessageStartingWith("Invalid version '" + "v".repeat(40) + "...':");
    }

    @Test
    void theContainerCapLeavesTheJvmRoomBeyondItsHeap() {
        assertThat(ServerSettings.containerLimit("1G")).isEqualTo((1L << 30) + (512L << 20));
        assertThat(ServerSettings.containerLimit("4G")).isEqualTo(5L << 30);
        assertThat(ServerSettings.containerLimit("not-a-size")).isZero();
    }
}
