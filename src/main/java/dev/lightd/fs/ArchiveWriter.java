package dev.lightd.fs;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ParallelScatterZipCreator;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Writes a folder of a volume into an archive, walking it through descriptors (never following a
 * symlink: links are stored as links in tar and left out of zip) and skipping the archive itself.
 */
final class ArchiveWriter {

    /** Bytes read from a file per call (transferTo's 16 KiB meant a read per 16 KiB). */
    private static final int READ_CHUNK = 1 << 18;

    private ArchiveWriter() {}

    /**
     * A modification time cut to whole seconds, as GNU tar's default format keeps it. A finer one
     * made the writer put a PAX header before every entry (two more 512-byte records, parsed with
     * BigDecimal on extraction); extraction does not restore times anyway.
     */
    private static FileTime wholeSeconds(FileTime time) {
        return FileTime.from(time.to(TimeUnit.SECONDS), TimeUnit.SECONDS);
    }

    static void write(ArchiveFormat format, SafeDir source, Set<String> skipAtTop, OutputStream raw) throws IOException {
        switch (format) {
            case TAR_GZ -> writeTar(source, skipAtTop, new ParallelGzipOutputStream(raw));
            case TAR_ZST -> {
                ZstdOutputStream zstd = new ZstdOutputStream(raw, 3);
                // one core is left to the walk and the tar (this thread), as `tar | zstd` has it: with a
                // worker per core, zstd's multi-threaded mode took ~50% more CPU at level 3 (each job
                // hashes its overlap again) and on 2 cores ran 2-3x slower than 1 worker (docs/archives-performance.md)
                zstd.setWorkers(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
                writeTar(source, skipAtTop, zstd);
            }
            case ZIP -> writeZip(source, skipAtTop, raw);
            case TAR -> writeTar(source, skipAtTop, raw);
        }
    }

    private static void writeTar(SafeDir source, Set<String> skipAtTop, OutputStream compressed) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(compressed, 1 << 16))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            byte[] buf = new byte[READ_CHUNK];
            walk(source, "", 0, skipAtTop, new Visitor() {
                @Override
                public void directory(String name, BasicFileAttributes attrs) throws IOException {
                    TarArchiveEntry e = new TarArchiveEntry(name + "/");
                    e.setModTime(wholeSeconds(attrs.lastModifiedTime()));
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                }

                @Override
                public void file(String name, Path file, BasicFileAttributes attrs) throws IOException {
                    TarArchiveEntry e = new TarArchiveEntry(name);
                    e.setSize(attrs.size());
                    e.setModTime(wholeSeconds(attrs.lastModifiedTime()));
                    tar.putArchiveEntry(e);
                    try (InputStream in = Files.newInputStream(file)) {
                        // exactly the size announced: a file changing meanwhile must not corrupt the tar
                        BoundedOutput bounded = new BoundedOutput(tar, attrs.size());
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            bounded.write(buf, 0, n);
                        }
                        bounded.padRemaining();
                    }
                    tar.closeArchiveEntry();
                }

                @Override
                public void symlink(String name, String target) throws IOException {
                    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    e.setLinkName(target);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                }
            });
            tar.finish();
        }
    }

    private static void writeZip(SafeDir source, Set<String> skipAtTop, OutputStream raw) throws IOException {
        ParallelScatterZipCreator creator = new ParallelScatterZipCreator();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            walk(source, "", 0, skipAtTop, new Visitor() {
                @Override
                public void directory(String name, BasicFileAttributes attrs) {
                    ZipArchiveEntry e = new ZipArchiveEntry(name + "/");
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(0);
                    e.setCrc(0);
                    creator.addArchiveEntry(e, InputStream::nullInputStream);
                }

                @Override
                public void file(String name, Path file, BasicFileAttributes attrs) {
                    ZipArchiveEntry e = new ZipArchiveEntry(name);
                    e.setMethod(ZipEntry.DEFLATED);
                    e.setLastModifiedTime(attrs.lastModifiedTime());
                    // Opened when a worker zips it, not now: holding a descriptor per file until the
                    // end would run out of them on a world with tens of thousands of region files.
                    creator.addArchiveEntry(e, () -> openLater(source, name));
                }

                @Override
                public void symlink(String name, String target) {
                    // zip has no portable symlink: left out
                }
            });
            creator.writeTo(zip);
            zip.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    /**
     * Reopens a walked file beneath the source folder. A file that vanished or was swapped for
     * something other than a regular file since the walk is stored empty.
     */
    private static InputStream openLater(SafeDir source, String name) {
        int fd;
        try {
            fd = source.open(name, Syscalls.O_RDONLY | Syscalls.O_NONBLOCK | Syscalls.O_NOFOLLOW);
        } catch (FsErrno e) {
            return InputStream.nullInputStream();
        }
        try {
            Path pinned = SafeDir.proc(fd);
            if (!Files.readAttributes(pinned, BasicFileAttributes.class).isRegularFile()) {
                return InputStream.nullInputStream();
            }
            return Files.newInputStream(pinned);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } finally {
            Syscalls.close(fd);
        }
    }

    interface Visitor {
        void directory(String name, BasicFileAttributes attrs) throws IOException;

        void file(String name, Path file, BasicFileAttributes attrs) throws IOException;

        void symlink(String name, String target) throws IOException;
    }

    /** Depth-first, entries sorted by name, each opened with O_NOFOLLOW relative to its folder's fd. */
    private static void walk(SafeDir dir, String prefix, int depth, Set<String> skip, Visitor visitor) throws IOException {
        VolumePath.checkDepth(depth);
        List<String> names = VolumeFs.names(dir);
        names.sort(null);
        for (String name : names) {
            if (skip.contains(prefix + name) || name.startsWith(VolumeFs.TEMP_PREFIX)
                    || name.startsWith(ArchiveService.EXTRACT_PREFIX)) {
                continue;
            }
            String entryName = prefix + name;
            int fd;
            try {
                fd = dir.openEntry(name, Syscalls.O_RDONLY | Syscalls.O_NONBLOCK, 0);
            } catch (FsErrno e) {
                if (e.errno == Syscalls.ELOOP) {
                    String target = Files.readSymbolicLink(dir.proc().resolve(name)).toString();
                    // a link out of the volume would make the archive one that extraction refuses
                    if (VolumePath.parse(prefix).linkStaysInside(target)) {
                        visitor.symlink(entryName, target);
                    }
                }
                continue; // vanished, a symlink, or unreadable
            }
            try {
                Path p = SafeDir.proc(fd);
                BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
                if (attrs.isDirectory()) {
                    visitor.directory(entryName, attrs);
                    try (SafeDir sub = SafeDir.duplicate(fd)) {
                        walk(sub, entryName + "/", depth + 1, Set.of(), visitor);
                    }
                } else if (attrs.isRegularFile()) {
                    visitor.file(entryName, p, attrs);
                }
            } finally {
                Syscalls.close(fd);
            }
        }
    }

    /** Passes through at most n bytes; {@link #padRemaining} fills up with zeros if the source was shorter. */
    private static final class BoundedOutput extends OutputStream {
        private final OutputStream out;
        private long left;

        BoundedOutput(OutputStream out, long n) {
            this.out = out;
            this.left = n;
        }

        @Override
        public void write(int b) throws IOException {
            if (left > 0) {
                out.write(b);
                left--;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, left);
            if (n > 0) {
                out.write(b, off, n);
                left -= n;
            }
        }

        void padRemaining() throws IOException {
            byte[] zeros = new byte[8192];
            while (left > 0) {
                int n = (int) Math.min(zeros.length, left);
                out.write(zeros, 0, n);
                left -= n;
            }
        }

        @Override
        public void close() {
            // the tar entry is closed by the caller
        }
    }
}
