package dev.lightd.console;

import org.junit.jupiter.api.Test;

import static dev.lightd.console.ConsoleEvent.Type.CONSOLE;
import static dev.lightd.console.ConsoleEvent.Type.DAEMON_MESSAGE;
import static dev.lightd.console.ConsoleEvent.Type.EVENT;
import static dev.lightd.console.ConsoleEvent.Type.STATS;
import static org.assertj.core.api.Assertions.assertThat;

class SkipAccountingTest {

    @Test
    void aFullQueueSkipsLinesUntilHalfReadThenTellsHowManyOnce() {
        SkipAccounting skips = new SkipAccounting(100, 1 << 20);
        assertThat(skips.admit(CONSOLE, 99, 0)).isZero();
        assertThat(skips.admit(CONSOLE, 100, 0)).isEqualTo(SkipAccounting.SKIP);
        assertThat(skips.inGap()).isTrue();
        for (int i = 0; i < 9; i++) {
            assertThat(skips.admit(CONSOLE, 60, 0)).isEqualTo(SkipAccounting.SKIP); // not yet read down to half
        }
        assertThat(skips.admit(STATS, 60, 0)).isEqualTo(SkipAccounting.SKIP); // stats skipped, not counted
        assertThat(skips.admit(CONSOLE, 50, 0)).isEqualTo(10); // the notice, then this line
        assertThat(skips.inGap()).isFalse();
        assertThat(skips.admit(CONSOLE, 51, 0)).isZero();
    }

    @Test
    void eventsThatAreNotLinesAreNeverSkippedAndSplitTheGap() {
        SkipAccounting skips = new SkipAccounting(10, 1 << 20);
        skips.admit(CONSOLE, 10, 0);
        skips.admit(CONSOLE, 10, 0);
        assertThat(skips.admit(EVENT, 10, 0)).isEqualTo(2); // notice of 2, then the state event
        assertThat(skips.inGap()).isTrue();
        skips.admit(CONSOLE, 11, 0);
        assertThat(skips.admit(DAEMON_MESSAGE, 11, 0)).isEqualTo(1);
        assertThat(skips.admit(DAEMON_MESSAGE, 12, 0)).isZero(); // nothing skipped since
        assertThat(skips.admit(CONSOLE, 5, 0)).isZero(); // gap over, nothing left to tell
    }

    @Test
    void aQueueHoldingTooManyBytesSkipsLinesLikeAFullOne() {
        SkipAccounting skips = new SkipAccounting(1000, 4096);
        assertThat(skips.admit(CONSOLE, 3, 4000)).isZero();
        assertThat(skips.admit(CONSOLE, 4, 4096)).isEqualTo(SkipAccounting.SKIP); // few lines, but long ones
        assertThat(skips.admit(CONSOLE, 2, 2100)).isEqualTo(SkipAccounting.SKIP); // not yet read down to half the bytes
        assertThat(skips.admit(CONSOLE, 2, 2048)).isEqualTo(2);
        assertThat(skips.inGap()).isFalse();
    }
}
