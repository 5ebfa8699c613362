package dev.lightd.fs;

import java.nio.file.Path;

/**
 * An open directory file descriptor. Paths are resolved relative to it with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), so neither "..", an absolute path nor a symlink
 * (followed at any depth, even if swapped in mid-operation) can lead outside it.
 */
final class SafeDir implements AutoCloseable {

    private static final int AT_FDCWD = -100;
    static final long BENEATH = Syscalls.RESOLVE_BENEATH | Syscalls.RESOLVE_NO_MAGICLINKS;

    final int fd;

    private SafeDir(int fd) {
        this.fd = fd;
    }

    /** The trusted root (a volume folder): opened by absolute path, the one place no check applies. */
    static SafeDir openRoot(Path root) {
        return new SafeDir(Syscalls.openat(AT_FDCWD, root.toString(),
                Syscalls.O_PATH | Syscalls.O_DIRECTORY | Syscalls.O_CLOEXEC, 0));
    }

    /** A second descriptor of a folder we hold an fd of, to use and close on its own. */
    static SafeDir duplicate(int fd) {
        return new SafeDir(Syscalls.openat2(fd, ".", Syscalls.O_PATH | Syscalls.O_DIRECTORY | Syscalls.O_CLOEXEC, 0,
                BENEATH));
    }

    /** A folder beneath this one; "" is this folder again. */
    SafeDir dir(String rel) {
        return new SafeDir(Syscalls.openat2(fd, rel.isEmpty() ? "." : rel,
                Syscalls.O_PATH | Syscalls.O_DIRECTORY | Syscalls.O_CLOEXEC, 0, BENEATH));
    }

    /** Opens a file beneath this folder; the caller closes the fd. */
    int open(String rel, int flags) {
        return Syscalls.openat2(fd, rel.isEmpty() ? "." : rel, flags | Syscalls.O_CLOEXEC, 0, BENEATH);
    }

    /**
     * Opens a file or folder beneath this folder for reading, without ever blocking: O_NONBLOCK has
     * no effect on files and folders, and makes the open of a FIFO (a container can make one in its
     * volume) return at once instead of waiting for a writer. Callers check what they opened
     * ({@link VolumeFs#requireFileOrFolder}).
     */
    int openReadable(String rel) {
        return open(rel, Syscalls.O_RDONLY | Syscalls.O_NONBLOCK);
    }

    /** An entry directly in this folder, never following a symlink in its place. */
    int openEntry(String name, int flags, int mode) {
        return Syscalls.openat(fd, name, flags | Syscalls.O_NOFOLLOW | Syscalls.O_CLOEXEC, mode);
    }

    SafeDir entryDir(String name) {
        return new SafeDir(openEntry(name, Syscalls.O_RDONLY | Syscalls.O_DIRECTORY, 0));
    }

    /**
     * The object an fd points at, for Java I/O. Reopening through /proc/self/fd reaches the inode the
     * fd pins, whatever happened to its path since.
     */
    static Path proc(int fd) {
        return Path.of("/proc/self/fd/" + fd);
    }

    Path proc() {
        return proc(fd);
    }

    @Override
    public void close() {
        Syscalls.close(fd);
    }
}
