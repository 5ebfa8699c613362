package dev.lightd.fs;

import dev.lightd.ServiceException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The free space kept on the data filesystem so that the daemon's own store ({@code lightd.db}) can
 * always commit: a client write that would leave less than the reserve free is refused (507). One
 * statvfs per check, no walk.
 */
public final class DiskReserve {

    public static final String KEY = "storage.reserved_free_bytes";

    private final LongSupplier usableBytes;
    private final LongSupplier reservedBytes;

    /**
     * @param usableBytes   free bytes an unprivileged write could use now
     * @param reservedBytes the reserve as configured now (0 disables it)
     */
    public DiskReserve(LongSupplier usableBytes, LongSupplier reservedBytes) {
        this.usableBytes = usableBytes;
        this.reservedBytes = reservedBytes;
    }

    /** The filesystem holding {@code dataDir}, looked up once (statvfs per check afterwards). */
    public static DiskReserve of(Path dataDir, LongSupplier reservedBytes) {
        FileStore store;
        try {
            store = Files.getFileStore(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DiskReserve(() -> {
            try {
                return store.getUsableSpace();
            } catch (IOException e) {
                return Long.MAX_VALUE; // cannot tell: the write itself will meet ENOSPC if there is none
            }
        }, reservedBytes);
    }

    /** A reserve that never refuses. */
    public static DiskReserve none() {
        return new DiskReserve(() -> Long.MAX_VALUE, () -> 0);
    }

    /** Refuses when {@code bytes} more would leave less than the reserve free; zero bytes checks the disk as it is. */
    public void check(long bytes, String what) {
        long reserved = reservedBytes.getAsLong();
        if (reserved <= 0) {
            return;
        }
        long usable = usableBytes.getAsLong();
        if (usable - bytes < reserved) {
            throw ServiceException.insufficientStorage("Disk full: " + what + " would leave less than " + reserved
                    + " bytes free on the data filesystem (" + KEY + ")");
        }
    }
}
