package dev.lightd.container;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerRulesLimitsTest {

    private static final long MEMORY = 512L * 1024 * 1024;

    @Test
    void pidsZeroMeansTheDaemonDefaultAndIsAccepted() {
        assertThat(ContainerRules.limits(new Limits(MEMORY, 1.0), 2).pids()).isZero();
    }

    @Test
    void pidsInRangeAreKept() {
        assertThat(ContainerRules.limits(new Limits(MEMORY, 1.0, 16), 2).pids()).isEqualTo(16);
        assertThat(ContainerRules.limits(new Limits(MEMORY, 1.0, 4_194_304), 2).pids()).isEqualTo(4_194_304);
    }

    @Test
    void pidsOutOfRangeAreRefusedInTheStyleOfTheOtherLimits() {
        for (long pids : new long[] {-1, 1, 15, 4_194_305, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> ContainerRules.limits(new Limits(MEMORY, 1.0, pids), 2))
                    .isInstanceOf(ServiceException.class)
                    .hasMessage("Invalid limits: pids must be 0 (the daemon's default) or from 16 to 4194304");
        }
    }

    @Test
    void memoryIsStillCheckedFirst() {
        assertThatThrownBy(() -> ContainerRules.limits(new Limits(1, 1.0, 1), 2))
                .hasMessageStartingWith("Invalid limits: memory");
    }

    @Test
    void diskIsZeroForNoLimitOrAtLeastOneMebibyte() {
        assertThat(ContainerRules.disk(0)).isZero();
        assertThat(ContainerRules.disk(1024 * 1024)).isEqualTo(1024 * 1024);
        for (long disk : new long[] {-1, 1, 1024 * 1024 - 1}) {
            assertThatThrownBy(() -> ContainerRules.disk(disk))
                    .isInstanceOf(ServiceException.class)
                    .hasMessage("Invalid limits: disk must be 0 (no limit) or at least 1048576 bytes");
        }
    }
}
