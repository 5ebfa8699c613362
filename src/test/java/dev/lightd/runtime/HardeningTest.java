package dev.lightd.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a container the engine already has is confined as the config asks, or must be made again. */
class HardeningTest {

    static final Hardening WANTED = new Hardening(512, true, List.of("net_raw", "mknod"), 64L << 20);

    @Test
    void theSameOrTighterMeetsIt() {
        assertThat(WANTED.meets(WANTED)).isTrue();
        assertThat(new Hardening(100, true, List.of("CAP_NET_RAW", "MKNOD", "SETPCAP"), 16L << 20).meets(WANTED))
                .as("fewer processes, more dropped, a smaller /tmp; capability names in the engine's spelling").isTrue();
    }

    @Test
    void aContainerFromBeforeTheHardeningDoesNot() {
        assertThat(Hardening.NONE.meets(WANTED)).isFalse();
        assertThat(new Hardening(0, true, List.of("net_raw", "mknod"), 64L << 20).meets(WANTED)).as("no PID limit").isFalse();
        assertThat(new Hardening(4096, true, List.of("net_raw", "mknod"), 64L << 20).meets(WANTED)).as("a looser one").isFalse();
        assertThat(new Hardening(512, false, List.of("net_raw", "mknod"), 64L << 20).meets(WANTED)).isFalse();
        assertThat(new Hardening(512, true, List.of("net_raw"), 64L << 20).meets(WANTED)).as("mknod kept").isFalse();
        assertThat(new Hardening(512, true, List.of("net_raw", "mknod"), 0).meets(WANTED)).as("no /tmp tmpfs").isFalse();
    }

    @Test
    void nothingAskedIsMetByAnything() {
        assertThat(Hardening.NONE.meets(Hardening.NONE)).isTrue();
        assertThat(WANTED.meets(Hardening.NONE)).isTrue();
    }
}
