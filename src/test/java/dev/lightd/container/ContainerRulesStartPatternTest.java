package dev.lightd.container;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerRulesStartPatternTest {

    @Test
    void aRealPatternCompiles() {
        assertThat(ContainerRules.startPattern("Done \\(.*\\)! For help").matcher("Done (3.2s)! For help").find()).isTrue();
        assertThat(ContainerRules.startPattern("x".repeat(ContainerRules.MAX_START_PATTERN))).isNotNull();
    }

    @Test
    void aPatternPastTheLimitIsRefusedBeforeCompiling() {
        // a 2 MiB literal took the regex compiler minutes in a loop no safepoint interrupts: the daemon froze
        assertThatThrownBy(() -> ContainerRules.startPattern("x".repeat(2 * 1024 * 1024)))
                .isInstanceOf(ServiceException.class)
                .hasMessage("Invalid start_pattern: at most 1024 characters");
        assertThatThrownBy(() -> ContainerRules.startPattern("x".repeat(ContainerRules.MAX_START_PATTERN + 1)))
                .isInstanceOf(ServiceException.class);
    }

    @Test
    void aStoredPatternPastTheLimitIsIgnoredNotFatal() {
        // stored before the limit existed: the daemon still loads the container, which counts as running at once
        assertThat(ContainerRules.storedStartPattern("old", "x".repeat(2 * 1024 * 1024))).isNull();
        assertThat(ContainerRules.storedStartPattern("ok", "^up").pattern()).isEqualTo("^up");
    }
}
