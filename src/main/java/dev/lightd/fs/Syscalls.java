package dev.lightd.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The Linux file system calls the safe file layer needs, through the FFM API: openat2 (via
 * syscall(2), glibc has no wrapper) and the *at family, which act relative to a directory fd.
 * Each returns the result or throws {@link FsErrno} with the errno.
 */
final class Syscalls {

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 01;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_TRUNC = 01000;
    static final int O_NONBLOCK = 04000;
    static final int O_DIRECTORY = 0200000;
    static final int O_NOFOLLOW = 0400000;
    static final int O_CLOEXEC = 02000000;
    static final int O_PATH = 010000000;

    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    static final long RESOLVE_BENEATH = 0x08;

    static final int AT_REMOVEDIR = 0x200;

    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int EPERM = 1;
    static final int EEXIST = 17;
    static final int EXDEV = 18;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int ELOOP = 40;
    static final int ENOTEMPTY = 39;
    static final int ENAMETOOLONG = 36;
    static final int ENXIO = 6;
    static final int ENOSPC = 28;
    static final int EDQUOT = 122;

    private static final long SYS_OPENAT2 = 437; // x86_64 and aarch64 alike

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    private static final StructLayout OPEN_HOW = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("flags"),
            ValueLayout.JAVA_LONG.withName("mode"),
            ValueLayout.JAVA_LONG.withName("resolve"));

    private static final MethodHandle SYSCALL_OPENAT2 = handle("syscall",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle OPENAT = handle("openat",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(3));
    private static final MethodHandle MKDIRAT = handle("mkdirat",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle UNLINKAT = handle("unlinkat",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RENAMEAT = handle("renameat",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle SYMLINKAT = handle("symlinkat",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle LINKAT = handle("linkat",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle STATX = handle("statx",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LIBC.find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Syscalls() {}

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, options);
    }

    /** openat2(dirfd, path, {flags, mode, resolve}). */
    static int openat2(int dirFd, String path, int flags, int mode, long resolve) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment how = arena.allocate(OPEN_HOW);
            how.set(ValueLayout.JAVA_LONG, 0, flags & 0xffffffffL);
            how.set(ValueLayout.JAVA_LONG, 8, mode);
            how.set(ValueLayout.JAVA_LONG, 16, resolve);
            long r = (long) SYSCALL_OPENAT2.invokeExact(state, SYS_OPENAT2, dirFd, arena.allocateFrom(path), how,
                    OPEN_HOW.byteSize());
            return (int) check(r, state, "openat2", path);
        } catch (FsErrno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int openat(int dirFd, String name, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) OPENAT.invokeExact(state, dirFd, arena.allocateFrom(name), flags, mode);
            return (int) check(r, state, "openat", name);
        } catch (FsErrno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void mkdirat(int dirFd, String name, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) MKDIRAT.invokeExact(state, dirFd, arena.allocateFrom(name), mode);
            check(r, state, "mkdirat", name);
        } catch (FsErrno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void unlinkat(int dirFd, String name, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) UNLINKAT.invokeExact(state, dirFd, arena.allocateFrom(name), flags);
            check(r, state, "unlinkat", name);
        } catch (FsErrno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void renameat(int fromDir, String from, int toDir, String to) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) RENAMEAT.invokeExact(state, fromDir, arena.allocateFrom(from), toDir, arena.allocateFrom(to));
            check(r, state, "renameat", from);
        } catch (FsErrno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void symlinkat(String target, int dirFd, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) SYMLINKAT.invokeExact(state, arena.allocateFrom(target), dirFd, arena.allocateFrom(name));
            check(r, state, "symlinkat", name);
        } catch (FsErrno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void linkat(int fromDir, String from, int toDir, String to) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) LINKAT.invokeExact(state, fromDir, arena.allocateFrom(from), toDir, arena.allocateFrom(to), 0);
            check(r, state, "linkat", from);
        } catch (FsErrno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_TYPE = 0x1;
    private static final int STATX_SIZE = 0x200;
    /** struct statx: 256 bytes, the same on every architecture; stx_mode (u16) at 28, stx_size (u64) at 40. */
    private static final long STATX_BYTES = 256;
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;

    /** The type bits and size of an entry directly in a folder, never following a link: statx, one call. */
    record Stat(int mode, long size) {
        boolean regularFile() {
            return (mode & S_IFMT) == S_IFREG;
        }

        boolean directory() {
            return (mode & S_IFMT) == S_IFDIR;
        }
    }

    /**
     * Reusable memory for many statx calls by one thread (a walk): no allocation per entry. Names
     * longer than NAME_MAX cannot exist, so the name buffer never overflows.
     */
    static final class StatBuffer implements AutoCloseable {
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment state = arena.allocate(CALL_STATE);
        private final MemorySegment buf = arena.allocate(STATX_BYTES, 8);
        private final MemorySegment name = arena.allocate(1024);

        Stat stat(int dirFd, String entry) {
            byte[] bytes = entry.getBytes(StandardCharsets.UTF_8);
            if (bytes.length >= name.byteSize()) {
                throw new FsErrno(ENAMETOOLONG, "statx", entry);
            }
            MemorySegment.copy(bytes, 0, name, ValueLayout.JAVA_BYTE, 0, bytes.length);
            name.set(ValueLayout.JAVA_BYTE, bytes.length, (byte) 0);
            try {
                int r = (int) STATX.invokeExact(state, dirFd, name, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_SIZE, buf);
                check(r, state, "statx", entry);
            } catch (FsErrno e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            return new Stat(Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT, 28)), buf.get(ValueLayout.JAVA_LONG, 40));
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long check(long result, MemorySegment state, String call, String path) {
        if (result < 0) {
            throw new FsErrno((int) ERRNO.get(state, 0L), call, path);
        }
        return result;
    }
}
