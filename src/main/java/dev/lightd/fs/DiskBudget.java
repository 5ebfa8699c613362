package dev.lightd.fs;

/**
 * What a client write into a volume may take from the disk. Every write asks before its bytes go
 * down ({@link #reserve}) and gives back what it did not keep ({@link #release}): a refused write
 * never puts a byte on the disk, and the volume's usage figure follows the API's writes without a
 * walk of the tree.
 */
public interface DiskBudget {

    /**
     * Takes {@code bytes} more, or refuses with a ServiceException of kind INSUFFICIENT_STORAGE (507)
     * whose text starts with {@code Disk quota exceeded: } (the volume's limit) or {@code Disk full: }
     * (the node's reserved free space). Zero bytes still refuses a volume already over its limit or
     * a disk already below its reserve.
     *
     * @param what the write, for the refusal's text: "writing 12 bytes", "extracting 'a.txt'"
     */
    void reserve(long bytes, String what);

    /** Gives back bytes reserved and not kept (a refused or failed write) or freed (a file replaced or removed). */
    void release(long bytes);

    /**
     * Held for the whole of one write (from its reservation to its rename or clean-up), so that the
     * periodic walk, which waits for the writes in progress, never counts half a write.
     */
    default Hold hold() {
        return () -> {};
    }

    /** A write in progress; closing it ends the write. */
    interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    /** No limit and no reserve: the daemon's own housekeeping. */
    DiskBudget UNLIMITED = new DiskBudget() {
        @Override
        public void reserve(long bytes, String what) {}

        @Override
        public void release(long bytes) {}
    };
}
