package dev.lightd.fs;

import dev.lightd.ServiceException;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipEntry;

/**
 * Compresses folders of a volume into archives and extracts archives into it. Extraction goes into a
 * temporary folder inside the volume and is moved into place only when every entry passed, so a
 * refused archive (an entry escaping, a link pointing out, a bomb) leaves nothing behind.
 */
public final class ArchiveService {

    static final String EXTRACT_PREFIX = ".lightd-extract-";
    private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ -]{0,99}");

    public ArchiveResult compress(VolumeFs volume, VolumePath source, ArchiveFormat format, String outputName) {
        if (outputName != null && (outputName.contains("/") || outputName.contains("\\") || outputName.contains(".."))) {
            throw ServiceException.badRequest(VolumePath.TRAVERSAL); // an escape attempt gets the seed's answer
        }
        if (outputName == null || !OUTPUT_NAME.matcher(outputName).matches()) {
            throw ServiceException.badRequest(
                    "Invalid output_name: 1-100 letters, digits, '.', '_', '-' or spaces, without a folder");
        }
        String archiveName = outputName + "." + format.extension();
        try (DiskBudget.Hold writing = volume.budget().hold(); SafeDir root = volume.openRoot();
             SafeDir src = root.dir(source.rel())) {
            // the archive is written at the root: when the source is the root, leave it out
            Set<String> skip = source.isRoot() ? Set.of(archiveName) : Set.of();
            String what = "writing the archive '" + archiveName + "'";
            volume.budget().reserve(0, what);
            VolumeFs.writeAtomically(root, archiveName, volume.budget(), 0, what,
                    out -> ArchiveWriter.write(format, src, skip, out));
            int fd = root.open(archiveName, Syscalls.O_PATH);
            try {
                return new ArchiveResult(archiveName, Files.size(SafeDir.proc(fd)));
            } finally {
                Syscalls.close(fd);
            }
        } catch (FsErrno e) {
            throw VolumeFs.translate(e, source, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void decompress(VolumeFs volume, VolumePath archive, VolumePath destination, ArchiveLimits limits) {
        if (archive.isRoot()) {
            throw ServiceException.badRequest("Missing archive_path");
        }
        try (DiskBudget.Hold writing = volume.budget().hold(); SafeDir root = volume.openRoot()) {
            int archiveFd = root.openReadable(archive.rel());
            String tempName = VolumeFs.tempName().replace(VolumeFs.TEMP_PREFIX, EXTRACT_PREFIX);
            Extraction extraction = null;
            try {
                VolumeFs.requireFileOrFolder(archiveFd, archive);
                refuseNonEmptyDestination(root, destination);
                volume.budget().reserve(0, "extracting an archive");
                Syscalls.mkdirat(root.fd, tempName, 0755);
                try (SafeDir temp = root.dir(tempName)) {
                    extraction = new Extraction(temp, limits, volume.budget());
                    extraction.run(SafeDir.proc(archiveFd));
                }
                moveIntoPlace(root, tempName, destination);
            } catch (RuntimeException | IOException e) {
                removeQuietly(root, tempName);
                if (extraction != null) {
                    volume.budget().release(extraction.bytes); // what it wrote is gone again
                }
                if (e instanceof IOException io && VolumeFs.ioFailure(io) instanceof ServiceException refusal) {
                    throw refusal; // the budget's, or the disk full
                }
                throw e;
            } finally {
                Syscalls.close(archiveFd);
            }
        } catch (FsErrno e) {
            throw VolumeFs.translate(e, archive, true);
        } catch (IOException e) {
            throw ServiceException.badRequest("Archive could not be read: " + e.getMessage());
        }
    }

    private static void refuseNonEmptyDestination(SafeDir root, VolumePath destination) {
        if (destination.isRoot()) {
            return;
        }
        try (SafeDir dest = root.dir(destination.rel())) {
            if (!VolumeFs.names(dest).isEmpty()) {
                throw ServiceException.badRequest("Destination already exists and is not empty: " + destination);
            }
        } catch (FsErrno e) {
            if (e.errno != Syscalls.ENOENT) {
                throw e;
            }
        }
    }

    /** Renames the extracted folder to the destination; into the root, entry by entry. */
    private static void moveIntoPlace(SafeDir root, String tempName, VolumePath destination) {
        if (!destination.isRoot()) {
            try (SafeDir parent = VolumeFs.ensureDirs(root, destination.parent())) {
                try {
                    Syscalls.unlinkat(parent.fd, destination.name(), Syscalls.AT_REMOVEDIR); // an empty folder
                } catch (FsErrno e) {
                    if (e.errno != Syscalls.ENOENT) {
                        throw e;
                    }
                }
                Syscalls.renameat(root.fd, tempName, parent.fd, destination.name());
            }
            return;
        }
        try (SafeDir temp = root.dir(tempName)) {
            List<String> names = VolumeFs.names(temp);
            for (String name : names) {
                try {
                    int probe = root.openEntry(name, Syscalls.O_PATH, 0);
                    Syscalls.close(probe);
                    throw ServiceException.badRequest("Destination already has an entry named '" + name + "'");
                } catch (FsErrno e) {
                    if (e.errno != Syscalls.ENOENT) {
                        throw ServiceException.badRequest("Destination already has an entry named '" + name + "'");
                    }
                }
            }
            for (String name : names) {
                Syscalls.renameat(temp.fd, name, root.fd, name);
            }
        }
        Syscalls.unlinkat(root.fd, tempName, Syscalls.AT_REMOVEDIR);
    }

    private static void removeQuietly(SafeDir root, String name) {
        try {
            VolumeFs.removeEntry(root, name);
        } catch (RuntimeException ignored) {
            // not created, or already gone
        }
    }

    /** One extraction into a fresh folder, counting what it writes against the limits. */
    private static final class Extraction {
        /** Bytes written (and reserved) per step. */
        private static final int CHUNK = 1 << 18;
        private static final int INFLATE_INPUT = 1 << 16;
        private final SafeDir dest;
        private final ArchiveLimits limits;
        private final DiskBudget budget;
        /** Bytes written (and reserved from the budget) so far: counted as they stream, whatever the archive declares. */
        private long bytes;
        private long entries;
        /** The folder the last entry went into, open (see {@link #folder}); null before the first. */
        private SafeDir folder;
        private VolumePath folderPath;
        /** The one copy buffer of this extraction (a fresh one per file made garbage at the rate of the files). */
        private final byte[] buf = new byte[CHUNK];

        Extraction(SafeDir dest, ArchiveLimits limits, DiskBudget budget) {
            this.dest = dest;
            this.limits = limits;
            this.budget = budget;
        }

        void run(Path archive) throws IOException {
            try {
                extract(archive);
            } finally {
                if (folder != null) {
                    folder.close();
                }
            }
        }

        private void extract(Path archive) throws IOException {
            byte[] head = new byte[512];
            int n;
            try (InputStream in = Files.newInputStream(archive)) {
                n = in.readNBytes(head, 0, head.length);
            }
            ArchiveFormat format = ArchiveFormat.sniff(head, n);
            if (format == ArchiveFormat.ZIP) {
                extractZip(archive);
                return;
            }
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                 InputStream decompressed = switch (format) {
                     case TAR_GZ -> new GzipCompressorInputStream(raw, true);
                     case TAR_ZST -> new ZstdCompressorInputStream(raw);
                     default -> raw;
                 };
                 TarArchiveInputStream tar = new TarArchiveInputStream(new ReadAhead(decompressed, "extract-read"))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    VolumePath path = entryPath(e.getName());
                    count(e);
                    if (e.isDirectory()) {
                        VolumeFs.ensureDirs(dest, path).close();
                    } else if (e.isSymbolicLink()) {
                        symlink(path, e.getLinkName(), e.getName());
                    } else if (e.isLink()) {
                        hardLink(path, e.getLinkName(), e.getName());
                    } else if (e.isFile()) {
                        file(path, tar, e.getName());
                    } else {
                        throw refuse(e.getName(), "is a device, pipe or other special file");
                    }
                }
            }
        }

        private void extractZip(Path archive) throws IOException {
            Inflater inflater = new Inflater(true);
            try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ);
                 ZipFile zip = ZipFile.builder().setSeekableByteChannel(ch).get()) {
                Enumeration<ZipArchiveEntry> all = zip.getEntries();
                while (all.hasMoreElements()) {
                    ZipArchiveEntry e = all.nextElement();
                    VolumePath path = entryPath(e.getName());
                    count(e);
                    if (e.isDirectory()) {
                        VolumeFs.ensureDirs(dest, path).close();
                    } else if (e.isUnixSymlink()) {
                        symlink(path, zip.getUnixSymlink(e), e.getName());
                    } else {
                        try (InputStream in = entryData(zip, e, inflater)) {
                            file(path, in, e.getName());
                        }
                    }
                }
            } finally {
                inflater.end();
            }
        }

        /**
         * A zip entry's bytes. Deflated entries are inflated here from the raw bytes with a 64 KiB
         * input buffer and one reused Inflater: the library's stream feeds the Inflater 512 bytes at a
         * time, so each read returned about that much and extraction took one write and one budget
         * check per 512 bytes (a zip extracted 4 times slower than unzip).
         */
        private static InputStream entryData(ZipFile zip, ZipArchiveEntry e, Inflater inflater) throws IOException {
            if (e.getMethod() != ZipEntry.DEFLATED) {
                return zip.getInputStream(e); // stored, or a method the library knows better
            }
            inflater.reset();
            // nowrap inflation may need one byte past the data (java.util.zip.Inflater's documentation)
            InputStream raw = new SequenceInputStream(zip.getRawInputStream(e), new ByteArrayInputStream(new byte[1]));
            return new InflaterInputStream(raw, inflater, INFLATE_INPUT);
        }

        private VolumePath entryPath(String name) {
            try {
                VolumePath p = VolumePath.parse(name);
                if (p.isRoot()) {
                    throw refuse(name, "has an empty name");
                }
                return p;
            } catch (ServiceException e) {
                if (e.getMessage().equals(VolumePath.TRAVERSAL)) {
                    throw refuse(name, "would land outside the destination");
                }
                throw e;
            }
        }

        private void count(ArchiveEntry e) {
            if (++entries > limits.maxEntries()) {
                throw ServiceException.badRequest("Archive refused: more than " + limits.maxEntries()
                        + " entries (storage.max_extract_entries)");
            }
        }

        /**
         * The folder an entry goes into, made if missing. The last one is kept open: entries come
         * folder by folder, and making sure of each folder of the path again, opening every level
         * with openat2, cost more system calls than writing a small file. Keeping the descriptor is as
         * safe as resolving again: it was opened beneath the destination, and the folder it pins cannot
         * be moved out of the volume (a rename across mounts fails), whatever a container does meanwhile.
         */
        private SafeDir folder(VolumePath path) {
            VolumePath parent = path.parent();
            if (folder == null || !parent.equals(folderPath)) {
                if (folder != null) {
                    folder.close();
                    folder = null;
                }
                folder = VolumeFs.ensureDirs(dest, parent);
                folderPath = parent;
            }
            return folder;
        }

        private void file(VolumePath path, InputStream in, String entryName) throws IOException {
            try {
                SafeDir parent = folder(path);
                int fd = parent.openEntry(path.name(), Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_TRUNC, 0644);
                try (OutputStream out = Channels.newOutputStream(FileChannel.open(SafeDir.proc(fd), StandardOpenOption.WRITE))) {
                    // whole chunks: a decompressing stream returns what one step of it made (a few hundred
                    // bytes for some), and each read was a write and a budget check (a statvfs)
                    int r;
                    while ((r = in.readNBytes(buf, 0, buf.length)) > 0) {
                        if (bytes + r > limits.maxBytes()) {
                            throw ServiceException.badRequest("Archive refused: it expands past " + limits.maxBytes()
                                    + " bytes (storage.max_extract_bytes) at entry '" + entryName + "'");
                        }
                        budget.reserve(r, "extracting '" + entryName + "'");
                        bytes += r;
                        out.write(buf, 0, r);
                    }
                } finally {
                    Syscalls.close(fd);
                }
            } catch (FsErrno e) {
                throw e.errno == Syscalls.ELOOP || e.errno == Syscalls.EXDEV
                        ? refuse(entryName, "would be written through a link") : e;
            }
        }

        /** A link is kept only when what it points to stays inside the destination. */
        private void symlink(VolumePath path, String target, String entryName) {
            if (!path.parent().linkStaysInside(target)) {
                throw refuse(entryName, "is a link pointing outside the destination");
            }
            try {
                Syscalls.symlinkat(target, folder(path).fd, path.name());
            } catch (FsErrno e) {
                throw e.errno == Syscalls.EEXIST ? refuse(entryName, "appears twice") : e;
            }
        }

        private void hardLink(VolumePath path, String target, String entryName) {
            VolumePath targetPath;
            try {
                targetPath = VolumePath.parse(target);
            } catch (ServiceException e) {
                throw refuse(entryName, "is a link pointing outside the destination");
            }
            if (targetPath.isRoot()) {
                throw refuse(entryName, "is a link pointing outside the destination");
            }
            try (SafeDir targetParent = dest.dir(targetPath.parent().rel());
                 SafeDir parent = VolumeFs.ensureDirs(dest, path.parent())) {
                Syscalls.linkat(targetParent.fd, targetPath.name(), parent.fd, path.name());
            } catch (FsErrno e) {
                throw refuse(entryName, "is a link to something not extracted before it inside the destination");
            }
        }

        private static ServiceException refuse(String entryName, String why) {
            return ServiceException.badRequest("Archive entry '" + entryName + "' " + why);
        }
    }
}
