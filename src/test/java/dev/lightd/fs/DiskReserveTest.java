package dev.lightd.fs;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiskReserveTest {

    final AtomicLong free = new AtomicLong(100);
    final AtomicLong reserved = new AtomicLong(60);
    final DiskReserve reserve = new DiskReserve(free::get, reserved::get);

    @Test
    void aWriteLeavingTheReserveFreeIsAllowed() {
        reserve.check(40, "writing 40 bytes");
        reserve.check(0, "creating a volume");
    }

    @Test
    void aWriteEatingIntoTheReserveIsRefusedWith507() {
        assertThatThrownBy(() -> reserve.check(41, "writing 41 bytes"))
                .isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.INSUFFICIENT_STORAGE))
                .hasMessage("Disk full: writing 41 bytes would leave less than 60 bytes free on the data filesystem"
                        + " (storage.reserved_free_bytes)");
    }

    @Test
    void belowTheReserveEvenNothingIsAllowed() {
        free.set(59);
        assertThatThrownBy(() -> reserve.check(0, "creating a volume")).hasMessageStartingWith("Disk full: creating a volume");
    }

    @Test
    void zeroDisablesItAndAReloadAppliesAtOnce() {
        free.set(0);
        reserved.set(0);
        reserve.check(1_000_000, "anything");
        reserved.set(1);
        assertThatThrownBy(() -> reserve.check(0, "anything")).isInstanceOf(ServiceException.class);
    }

    @Test
    void theRealFilesystemIsAsked() {
        DiskReserve real = DiskReserve.of(Path.of("/tmp"), () -> Long.MAX_VALUE);
        assertThatThrownBy(() -> real.check(0, "x")).hasMessageStartingWith("Disk full: x");
    }
}
