package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.Test;

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

    @Test
    void theContainerCapLeavesTheJvmRoomBeyondItsHeap() {
        assertThat(ServerSettings.containerLimit("1G")).isEqualTo((1L << 30) + (512L << 20));
        assertThat(ServerSettings.containerLimit("4G")).isEqualTo(5L << 30);
        assertThat(ServerSettings.containerLimit("not-a-size")).isZero();
    }
}
