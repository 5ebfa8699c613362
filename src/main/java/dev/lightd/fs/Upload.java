package dev.lightd.fs;

import dev.lightd.ServiceException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Files uploaded into one folder of a volume (or a server's folder), written as they stream in.
 * The folder is held by descriptor from the start, so swapping a link in for its path changes
 * nothing. Each file goes to a temporary sibling ({@code .lightd-tmp-*}); the byte and file limits
 * are checked before anything is written, so a refused upload never grows past them on disk; only
 * {@link #commit()} renames the files into place, and {@link #close()} removes whatever was not
 * committed. So a refused or broken upload leaves nothing behind.
 */
public final class Upload implements AutoCloseable {

    private record Pending(String tmp, String name) {}

    private final SafeDir rootDir;
    private final SafeDir folder;
    private final VolumePath folderPath;
    private final long maxBytes;
    private final int maxFiles;
    private final List<Pending> pending = new ArrayList<>();
    private final DiskBudget budget;
    private final DiskBudget.Hold hold;
    private FileChannel current;
    private String currentName;
    private long written;
    /** Bytes taken from the budget and not yet kept by a commit: given back when the upload is refused. */
    private long reserved;

    Upload(SafeDir rootDir, SafeDir folder, VolumePath folderPath, long maxBytes, int maxFiles, DiskBudget budget) {
        this.budget = budget;
        this.hold = budget.hold(); // the quota walk waits for an upload in progress, as for any write
        this.rootDir = rootDir;
        this.folder = folder;
        this.folderPath = folderPath;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    /**
     * Starts the next file, named as a browser names an upload: a bare file name. Anything with a
     * path in it, "." or "..", is refused, as is a name that is a folder or a link pointing out.
     */
    public void startFile(String fileName) {
        String name = checkedName(fileName);
        finishCurrent();
        if (pending.size() >= maxFiles) {
            throw ServiceException.badRequest("Upload refused: more than " + maxFiles
                    + " files (storage.max_upload_files)");
        }
        VolumePath target = folderPath.child(name);
        try {
            int fd = rootDir.open(target.rel(), Syscalls.O_PATH);
            try {
                if (Files.isDirectory(SafeDir.proc(fd))) {
                    throw ServiceException.badRequest("Is a folder: " + target);
                }
            } finally {
                Syscalls.close(fd);
            }
        } catch (FsErrno e) {
            if (e.errno != Syscalls.ENOENT) {
                throw VolumeFs.translate(e, target, true);
            }
        }
        String tmp = VolumeFs.tempName();
        try {
            int fd = folder.openEntry(tmp, Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_EXCL, 0644);
            pending.add(new Pending(tmp, name));
            currentName = name;
            try {
                current = FileChannel.open(SafeDir.proc(fd), StandardOpenOption.WRITE);
            } finally {
                Syscalls.close(fd);
            }
        } catch (FsErrno e) {
            throw VolumeFs.translate(e, target, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends to the current file; past the byte limit nothing more is written and the upload is refused. */
    public void write(ByteBuffer bytes) {
        if (current == null) {
            throw new IllegalStateException("no file started");
        }
        if (written + bytes.remaining() > maxBytes) {
            throw ServiceException.badRequest("Upload refused: larger than " + maxBytes
                    + " bytes (storage.max_upload_bytes)");
        }
        // the volume's quota and the node's reserved free space, asked before the bytes go down (507)
        budget.reserve(bytes.remaining(), "uploading '" + currentName + "'");
        reserved += bytes.remaining();
        written += bytes.remaining();
        try {
            while (bytes.hasRemaining()) {
                current.write(bytes);
            }
        } catch (IOException e) {
            throw ServiceException.internal("Failed to write file: " + e.getMessage(), e);
        }
    }

    /** An OutputStream onto {@link #write(ByteBuffer)}, for callers that copy from a stream. */
    public OutputStream stream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                Upload.this.write(ByteBuffer.wrap(new byte[] {(byte) b}));
            }

            @Override
            public void write(byte[] b, int off, int len) {
                Upload.this.write(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    public int files() {
        return pending.size();
    }

    /** Syncs and renames every file into place; the names in upload order. */
    public List<String> commit() {
        finishCurrent();
        List<String> names = new ArrayList<>();
        for (Pending p : pending) {
            long replaced = VolumeFs.regularFileSize(folder, p.name());
            try {
                Syscalls.renameat(folder.fd, p.tmp(), folder.fd, p.name());
            } catch (FsErrno e) {
                throw VolumeFs.translate(e, folderPath.child(p.name()), true);
            }
            budget.release(replaced); // the file replaced is freed
            names.add(p.name());
        }
        reserved = 0; // what was written is kept
        return names;
    }

    private void finishCurrent() {
        if (current == null) {
            return;
        }
        try (FileChannel ch = current) {
            current = null;
            ch.force(true);
        } catch (IOException e) {
            throw ServiceException.internal("Failed to write file: " + e.getMessage(), e);
        }
    }

    private static String checkedName(String fileName) {
        if (fileName == null || fileName.isEmpty() || fileName.equals(".") || fileName.equals("..")
                || fileName.indexOf('/') >= 0 || fileName.indexOf('\\') >= 0 || fileName.indexOf('\0') >= 0) {
            throw ServiceException.badRequest("Invalid file name " + shown(fileName)
                    + ": an upload is named by a bare file name, without folders");
        }
        if (fileName.getBytes(StandardCharsets.UTF_8).length > VolumePath.MAX_NAME_BYTES) {
            throw ServiceException.badRequest("Invalid file name: longer than " + VolumePath.MAX_NAME_BYTES + " bytes");
        }
        return fileName;
    }

    /** A refused name as a message shows it: quoted, control characters escaped, cut short. */
    private static String shown(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        name.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(name.length() > 64 ? "...'" : "'").toString();
    }

    @Override
    public void close() {
        try {
            if (current != null) {
                current.close();
                current = null;
            }
        } catch (IOException ignored) {
            // the file is removed below either way
        }
        // a committed file's temporary name is gone already: only what was not committed is removed
        for (Pending p : pending) {
            VolumeFs.quietUnlink(folder, p.tmp());
        }
        budget.release(reserved);
        hold.close();
        folder.close();
        rootDir.close();
    }
}
