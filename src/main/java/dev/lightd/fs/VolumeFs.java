package dev.lightd.fs;

import dev.lightd.ServiceException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiConsumer;
import java.io.FilterOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The files of one volume. Every operation resolves the client's path beneath the volume root with
 * openat2 and then acts through file descriptors, so a symlink (even one raced in by the game
 * server) cannot make it read or write outside. Writes go to a temporary file and are renamed into
 * place, so a reader never sees half a file.
 */
public final class VolumeFs {

    static final String TEMP_PREFIX = ".lightd-tmp-";
    private static final SecureRandom RANDOM = new SecureRandom();

    static final String NO_SPACE = "Disk full: no space left on the volume's filesystem";

    private final Path root;
    private final DiskBudget budget;

    /** The daemon's own access (housekeeping at start): no quota, no reserve. */
    public VolumeFs(Path root) {
        this(root, DiskBudget.UNLIMITED);
    }

    /** A client's access: every write asks the budget first. */
    public VolumeFs(Path root, DiskBudget budget) {
        this.root = root;
        this.budget = budget;
    }

    DiskBudget budget() {
        return budget;
    }

    /**
     * Bytes of the regular files in the volume (apparent sizes), walked through descriptors
     * beneath the root; see {@link UsageWalk} for what counts.
     */
    public long usedBytes() {
        try (SafeDir rootDir = openRoot()) {
            return UsageWalk.walk(rootDir).bytes();
        }
    }

    public Path root() {
        return root;
    }

    SafeDir openRoot() {
        try {
            return SafeDir.openRoot(root);
        } catch (FsErrno e) {
            throw ServiceException.internal("Volume folder is missing: " + root, e);
        }
    }

    public void writeFile(VolumePath path, byte[] content) {
        requireFile(path);
        String what = "writing " + content.length + " bytes";
        try (DiskBudget.Hold writing = budget.hold(); SafeDir rootDir = openRoot()) {
            // reserved before any folder is made: a refused write leaves nothing, not even its folders
            long take = Math.max(0, content.length - existingFileSize(rootDir, path));
            try (SafeDir parent = reservedParent(rootDir, path, take, what, VolumeFs::refuseOutwardLink)) {
                writeAtomically(parent, path.name(), budget, take, what, out -> out.write(content));
            }
        } catch (FsErrno e) {
            throw translate(e, path, true);
        }
    }

    /**
     * Writes through a temporary sibling, fsyncs it, then renames it over the name. The caller has
     * reserved {@code reserved} bytes from the budget before making anything (folders included); the
     * file this one replaces counts as freed, and whatever the body writes past both is reserved as
     * it goes, so an output of unknown size (an archive) is refused at the write that would pass the
     * budget. A refused or failed write removes the temporary file and gives back all it reserved;
     * a finished one keeps exactly what the volume grew by.
     */
    static void writeAtomically(SafeDir parent, String name, DiskBudget budget, long reserved, String what,
                                IoConsumer<OutputStream> body) {
        long replaced = regularFileSize(parent, name); // freed by the rename
        long[] taken = {reserved};
        long[] written = {0};
        String tmp = tempName();
        int fd;
        try {
            fd = parent.openEntry(tmp, Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_EXCL, 0644);
        } catch (RuntimeException e) {
            budget.release(reserved);
            throw e;
        }
        boolean done = false;
        try (FileChannel ch = FileChannel.open(SafeDir.proc(fd), StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(ch)) {
            // archive writers close what they write to; the channel must stay open for fsync and rename
            body.accept(new FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    long beyond = written[0] + len - (taken[0] + replaced);
                    if (beyond > 0) {
                        budget.reserve(beyond, what);
                        taken[0] += beyond;
                    }
                    out.write(b, off, len);
                    written[0] += len;
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            });
            out.flush();
            ch.force(true);
            Syscalls.renameat(parent.fd, tmp, parent.fd, name);
            done = true;
            budget.release(taken[0] - (written[0] - replaced));
        } catch (IOException e) {
            throw ioFailure(e);
        } finally {
            Syscalls.close(fd);
            if (!done) {
                quietUnlink(parent, tmp);
                budget.release(taken[0]);
            }
        }
    }

    /**
     * An I/O failure in client terms: a refusal of the budget wrapped by a stream on the way (an
     * archive writer's) is that refusal; ENOSPC or EDQUOT is 507; anything else stays an I/O error.
     */
    static RuntimeException ioFailure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServiceException refusal) {
                return refusal;
            }
        }
        String m = e.getMessage();
        if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
            return new ServiceException(ServiceException.Kind.INSUFFICIENT_STORAGE, NO_SPACE, e);
        }
        return new UncheckedIOException(e);
    }

    /** The size of the regular file a client path names now; 0 when there is none (nothing is made). */
    static long existingFileSize(SafeDir rootDir, VolumePath path) {
        try {
            int fd = rootDir.open(path.rel(), Syscalls.O_PATH | Syscalls.O_NOFOLLOW);
            try {
                BasicFileAttributes a = Files.readAttributes(SafeDir.proc(fd), BasicFileAttributes.class);
                return a.isRegularFile() ? a.size() : 0;
            } finally {
                Syscalls.close(fd);
            }
        } catch (FsErrno | IOException e) {
            return 0;
        }
    }

    /** The size of a regular file directly in the folder; 0 for anything else or nothing. */
    static long regularFileSize(SafeDir parent, String name) {
        try {
            int fd = parent.openEntry(name, Syscalls.O_PATH, 0);
            try {
                BasicFileAttributes a = Files.readAttributes(SafeDir.proc(fd), BasicFileAttributes.class);
                return a.isRegularFile() ? a.size() : 0;
            } finally {
                Syscalls.close(fd);
            }
        } catch (FsErrno | IOException e) {
            return 0;
        }
    }

    @FunctionalInterface
    interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }

    static String tempName() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return TEMP_PREFIX + HexFormat.of().formatHex(b);
    }

    /**
     * Removes the temporary siblings ({@code .lightd-tmp-*}) that writes, copies and extractions
     * leave when the daemon is killed mid-way; called at start, before any API write can be making
     * one. Every folder is opened beneath the root (openat2 RESOLVE_BENEATH) and read through its
     * descriptor, a symlink is never followed (a link named like a temp file is removed as a link),
     * and nothing without the prefix is touched. A folder that cannot be read is skipped.
     *
     * @return how many were removed
     */
    public int removeTempFiles() {
        int removed = 0;
        Deque<String> pending = new ArrayDeque<>();
        pending.push("");
        try (SafeDir rootDir = openRoot()) {
            while (!pending.isEmpty()) {
                String rel = pending.pop();
                try (SafeDir dir = rootDir.dir(rel);
                     DirectoryStream<Path> stream = Files.newDirectoryStream(dir.proc())) {
                    for (Path entry : stream) {
                        String name = entry.getFileName().toString();
                        BasicFileAttributes attrs;
                        try {
                            attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        } catch (IOException e) {
                            continue;
                        }
                        if (name.startsWith(TEMP_PREFIX) && !attrs.isDirectory()) {
                            try {
                                Syscalls.unlinkat(dir.fd, name, 0);
                                removed++;
                            } catch (FsErrno e) {
                                // gone already, or not ours to remove: leave it
                            }
                        } else if (attrs.isDirectory()) {
                            pending.push(rel.isEmpty() ? name : rel + "/" + name);
                        }
                    }
                } catch (FsErrno | IOException | UncheckedIOException e) {
                    // swapped for a link, removed meanwhile or a path too long: skip that folder
                }
            }
        }
        return removed;
    }

    /** Opens a file for reading; the stream holds its own descriptor of the resolved file. */
    public InputStream read(VolumePath path) {
        return open(path).stream();
    }

    /**
     * Opens a regular file for reading, with its size and time read through the same descriptor the
     * stream reads (what a download announces is what it sends, whatever happens to the path).
     */
    public OpenFile open(VolumePath path) {
        requireFile(path);
        try (SafeDir rootDir = openRoot()) {
            int fd = rootDir.openReadable(path.rel());
            try {
                BasicFileAttributes attrs = requireFileOrFolder(fd, path);
                if (attrs.isDirectory()) {
                    throw ServiceException.badRequest("Is a folder: " + path);
                }
                InputStream stream = Files.newInputStream(SafeDir.proc(fd));
                return new OpenFile(stream, new FileEntry(path.name(), "file", attrs.size(),
                        attrs.lastModifiedTime().toInstant()));
            } finally {
                Syscalls.close(fd);
            }
        } catch (FsErrno e) {
            throw translate(e, path, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text file and what it was when read. */
    public record TextFile(String content, FileEntry entry) {}

    /**
     * A file read as UTF-8 text for an editor: at most maxBytes (also when it grows while read), and
     * no NUL byte or invalid UTF-8, which mean a binary file an editor would corrupt on save.
     */
    public TextFile readText(VolumePath path, long maxBytes) {
        try (OpenFile file = open(path)) {
            if (file.entry().size() > maxBytes) {
                throw tooLargeForText(path, maxBytes);
            }
            byte[] bytes = file.stream().readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > maxBytes) {
                throw tooLargeForText(path, maxBytes);
            }
            for (byte b : bytes) {
                if (b == 0) {
                    throw binary(path);
                }
            }
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                return new TextFile(text, new FileEntry(path.name(), "file", bytes.length, file.entry().modifiedAt()));
            } catch (CharacterCodingException e) {
                throw binary(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServiceException tooLargeForText(VolumePath path, long maxBytes) {
        return ServiceException.badRequest("File too large to open as text: " + path + " is larger than "
                + maxBytes + " bytes (storage.max_read_bytes); download it instead");
    }

    private static ServiceException binary(VolumePath path) {
        return ServiceException.badRequest("Binary file: " + path + " is not UTF-8 text; download it instead");
    }

    /**
     * What a path names, followed beneath the root like any other operation (a link pointing out is
     * refused as traversal); empty when nothing is there.
     */
    public Optional<FileEntry> stat(VolumePath path) {
        try (SafeDir rootDir = openRoot()) {
            int fd = rootDir.open(path.rel(), Syscalls.O_PATH);
            try {
                BasicFileAttributes attrs = Files.readAttributes(SafeDir.proc(fd), BasicFileAttributes.class);
                String name = path.isRoot() ? "" : path.name();
                return Optional.of(new FileEntry(name, attrs.isDirectory() ? "directory" : "file",
                        attrs.isDirectory() ? 0 : attrs.size(), attrs.lastModifiedTime().toInstant()));
            } finally {
                Syscalls.close(fd);
            }
        } catch (FsErrno e) {
            if (e.errno == Syscalls.ENOENT) {
                return Optional.empty();
            }
            throw translate(e, path, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether an entry of this name is there, a link counting as itself (its target is not looked
     * at); the folders on the way are resolved beneath the root like any path.
     */
    public boolean entryExists(VolumePath path) {
        if (path.isRoot()) {
            return true;
        }
        try (SafeDir rootDir = openRoot(); SafeDir parent = rootDir.dir(path.parent().rel())) {
            Syscalls.close(parent.openEntry(path.name(), Syscalls.O_PATH, 0));
            return true;
        } catch (FsErrno e) {
            if (e.errno == Syscalls.ENOENT) {
                return false;
            }
            throw translate(e, path, false);
        }
    }

    /**
     * Starts an upload of files into an existing folder: each is streamed to a temporary sibling and
     * only renamed into place when the whole upload is committed; past maxBytes (all files
     * together) or maxFiles it is refused while streaming and closing it removes what it wrote.
     */
    public Upload upload(VolumePath folder, long maxBytes, int maxFiles) {
        SafeDir rootDir = openRoot();
        try {
            SafeDir dir = rootDir.dir(folder.rel());
            return new Upload(rootDir, dir, folder, maxBytes, maxFiles, budget);
        } catch (FsErrno e) {
            rootDir.close();
            if (e.errno == Syscalls.ENOENT) {
                throw ServiceException.notFound("Upload folder not found: " + folder);
            }
            if (e.errno == Syscalls.ENOTDIR) {
                throw ServiceException.badRequest("Not a folder: " + folder);
            }
            throw translate(e, folder, true);
        }
    }

    public List<FileEntry> list(VolumePath path) {
        try (SafeDir rootDir = openRoot(); SafeDir dir = rootDir.dir(path.rel())) {
            List<FileEntry> entries = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.proc())) {
                for (Path entry : stream) {
                    String name = entry.getFileName().toString();
                    if (!name.startsWith(TEMP_PREFIX)) {
                        entries.add(describe(rootDir, path.child(name), entry));
                    }
                }
            }
            entries.sort(Comparator.comparing((FileEntry e) -> !e.type().equals("directory"))
                    .thenComparing(FileEntry::name));
            return entries;
        } catch (FsErrno e) {
            throw translate(e, path, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A symlink is shown as what it points to when that stays inside the volume, else as an empty file. */
    private static FileEntry describe(SafeDir rootDir, VolumePath path, Path entry) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isSymbolicLink()) {
            try {
                int fd = rootDir.open(path.rel(), Syscalls.O_PATH);
                try {
                    attrs = Files.readAttributes(SafeDir.proc(fd), BasicFileAttributes.class);
                } finally {
                    Syscalls.close(fd);
                }
            } catch (FsErrno | IOException outwardOrDangling) {
                return new FileEntry(path.name(), "file", 0, attrs.lastModifiedTime().toInstant());
            }
        }
        return attrs.isDirectory() ? new FileEntry(path.name(), "directory", 0, attrs.lastModifiedTime().toInstant())
                : new FileEntry(path.name(), "file", attrs.size(), attrs.lastModifiedTime().toInstant());
    }

    public void createFolder(VolumePath path) {
        if (path.isRoot()) {
            throw ServiceException.badRequest("Missing path");
        }
        budget.reserve(0, "making a folder");
        try (DiskBudget.Hold writing = budget.hold(); SafeDir rootDir = openRoot();
             SafeDir ignored = ensureDirs(rootDir, path)) {
            // created or already there
        } catch (FsErrno e) {
            throw translate(e, path, true);
        }
    }

    /** mkdir -p beneath the root, each step resolved again from the root. */
    /**
     * Reserves the bytes a write of path will add, then makes its parent folders and runs the check
     * on it; if either fails the bytes are given back. Reserved first, so a refused write leaves
     * nothing behind, not even its folders.
     */
    private SafeDir reservedParent(SafeDir rootDir, VolumePath path, long bytes, String what,
                                   BiConsumer<SafeDir, VolumePath> check) {
        budget.reserve(bytes, what);
        try {
            SafeDir parent = ensureDirs(rootDir, path.parent());
            try {
                check.accept(rootDir, path);
            } catch (RuntimeException e) {
                parent.close();
                throw e;
            }
            return parent;
        } catch (RuntimeException e) {
            budget.release(bytes);
            throw e;
        }
    }

    static SafeDir ensureDirs(SafeDir rootDir, VolumePath path) {
        SafeDir current = rootDir.dir("");
        VolumePath sofar = new VolumePath(List.of());
        for (String segment : path.segments()) {
            sofar = sofar.child(segment);
            try {
                Syscalls.mkdirat(current.fd, segment, 0755);
            } catch (FsErrno e) {
                if (e.errno != Syscalls.EEXIST) {
                    current.close();
                    throw e;
                }
            }
            current.close();
            current = rootDir.dir(sofar.rel());
        }
        return current;
    }

    public void delete(VolumePath path) {
        if (path.isRoot()) {
            throw ServiceException.badRequest("Cannot delete the volume root");
        }
        try (DiskBudget.Hold writing = budget.hold(); SafeDir rootDir = openRoot();
             SafeDir parent = rootDir.dir(path.parent().rel())) {
            long freed = entryBytes(parent, path.name());
            removeEntry(parent, path.name());
            budget.release(freed);
        } catch (FsErrno e) {
            throw translate(e, path, false);
        }
    }

    /** Bytes of a file, or of the regular files beneath a folder, directly in {@code parent}; never follows a link. */
    static long entryBytes(SafeDir parent, String name) {
        try (SafeDir dir = parent.entryDir(name)) {
            return UsageWalk.walk(dir).bytes();
        } catch (FsErrno notAFolder) {
            return regularFileSize(parent, name);
        }
    }

    /**
     * Removes a file, a symlink (never what it points to) or a whole folder, through descriptors
     * only. Iterative: a folder tree of any depth (a container can make one) cannot exhaust the stack.
     */
    static void removeEntry(SafeDir parent, String name) {
        if (unlinkedAsFile(parent, name)) {
            return;
        }
        record Level(SafeDir parent, SafeDir dir, String name) {}
        Deque<Level> stack = new ArrayDeque<>();
        stack.push(new Level(parent, parent.entryDir(name), name));
        try {
            while (!stack.isEmpty()) {
                Level top = stack.peek();
                String folder = null;
                for (String child : names(top.dir())) {
                    if (!unlinkedAsFile(top.dir(), child)) {
                        folder = child;
                        break;
                    }
                }
                if (folder != null) {
                    stack.push(new Level(top.dir(), top.dir().entryDir(folder), folder));
                    continue;
                }
                stack.pop().dir().close();
                Syscalls.unlinkat(top.parent().fd, top.name(), Syscalls.AT_REMOVEDIR);
            }
        } finally {
            while (!stack.isEmpty()) {
                stack.pop().dir().close();
            }
        }
    }

    /** Unlinks anything but a folder; false for a folder. Something already gone counts as removed. */
    private static boolean unlinkedAsFile(SafeDir dir, String name) {
        try {
            Syscalls.unlinkat(dir.fd, name, 0);
            return true;
        } catch (FsErrno e) {
            if (e.errno == Syscalls.ENOENT) {
                return true;
            }
            if (e.errno != Syscalls.EISDIR && e.errno != Syscalls.EPERM) {
                throw e;
            }
            return false;
        }
    }

    static List<String> names(SafeDir dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.proc())) {
            for (Path p : stream) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    public void copy(VolumePath source, VolumePath destination) {
        requireFile(source);
        requireFile(destination);
        if (destination.startsWith(source)) {
            throw ServiceException.badRequest("Cannot copy a folder into itself");
        }
        try (DiskBudget.Hold writing = budget.hold(); SafeDir rootDir = openRoot()) {
            int src = rootDir.openReadable(source.rel());
            try {
                boolean folder = requireFileOrFolder(src, source).isDirectory();
                // measured and reserved before any folder is made: a refused copy leaves nothing
                long size;
                if (folder) {
                    try (SafeDir from = SafeDir.duplicate(src)) {
                        size = UsageWalk.walk(from).bytes();
                    }
                } else {
                    size = Files.size(SafeDir.proc(src));
                }
                String what = "copying " + size + " bytes";
                try (SafeDir dstParent = reservedParent(rootDir, destination, size, what, VolumeFs::refuseExisting)) {
                    if (folder) {
                        copyFolder(src, dstParent, destination, size);
                    } else {
                        writeAtomically(dstParent, destination.name(), budget, size, what,
                                out -> Files.copy(SafeDir.proc(src), out));
                    }
                }
            } finally {
                Syscalls.close(src);
            }
        } catch (FsErrno e) {
            throw translate(e, source, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a folder whose {@code size} bytes the caller reserved; a failed copy gives them back and leaves nothing. */
    private void copyFolder(int src, SafeDir dstParent, VolumePath destination, long size) {
        boolean made = false;
        try {
            Syscalls.mkdirat(dstParent.fd, destination.name(), 0755);
            made = true;
            try (SafeDir from = SafeDir.duplicate(src); SafeDir to = dstParent.entryDir(destination.name())) {
                copyContents(from, to, destination.depth());
            }
        } catch (RuntimeException e) {
            budget.release(size);
            if (made) {
                removeEntry(dstParent, destination.name()); // a refused copy leaves nothing
            }
            throw e;
        }
    }

    /** Copies files and folders; symlinks are not copied (a copy must never reach outside). */
    private static void copyContents(SafeDir from, SafeDir to, int depth) {
        VolumePath.checkDepth(depth);
        for (String name : names(from)) {
            int fd;
            try {
                fd = from.openEntry(name, Syscalls.O_RDONLY | Syscalls.O_NONBLOCK, 0); // a FIFO must not block
            } catch (FsErrno e) {
                if (e.errno == Syscalls.ELOOP) {
                    continue; // a symlink
                }
                throw e;
            }
            try {
                Path p = SafeDir.proc(fd);
                if (Files.isDirectory(p)) {
                    Syscalls.mkdirat(to.fd, name, 0755);
                    try (SafeDir sub = SafeDir.duplicate(fd); SafeDir target = to.entryDir(name)) {
                        copyContents(sub, target, depth + 1);
                    }
                } else if (Files.isRegularFile(p)) {
                    int out = to.openEntry(name, Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_EXCL, 0644);
                    try (OutputStream os = Files.newOutputStream(SafeDir.proc(out), StandardOpenOption.WRITE)) {
                        Files.copy(p, os);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        Syscalls.close(out);
                    }
                }
            } finally {
                Syscalls.close(fd);
            }
        }
    }

    public void move(VolumePath source, VolumePath destination) {
        requireFile(source);
        requireFile(destination);
        if (destination.startsWith(source)) {
            throw ServiceException.badRequest("Cannot move a folder into itself");
        }
        try (SafeDir rootDir = openRoot(); SafeDir srcParent = rootDir.dir(source.parent().rel())) {
            int probe = srcParent.openEntry(source.name(), Syscalls.O_PATH, 0);
            Syscalls.close(probe);
            try (SafeDir dstParent = ensureDirs(rootDir, destination.parent())) {
                refuseExisting(rootDir, destination);
                Syscalls.renameat(srcParent.fd, source.name(), dstParent.fd, destination.name());
            }
        } catch (FsErrno e) {
            if (e.errno == Syscalls.ELOOP) {
                // O_NOFOLLOW met a symlink: moving the link itself is safe
                moveLink(source, destination);
                return;
            }
            throw translate(e, source, true);
        }
    }

    private void moveLink(VolumePath source, VolumePath destination) {
        try (SafeDir rootDir = openRoot(); SafeDir srcParent = rootDir.dir(source.parent().rel());
             SafeDir dstParent = ensureDirs(rootDir, destination.parent())) {
            refuseExisting(rootDir, destination);
            Syscalls.renameat(srcParent.fd, source.name(), dstParent.fd, destination.name());
        } catch (FsErrno e) {
            throw translate(e, source, true);
        }
    }

    private static void refuseExisting(SafeDir rootDir, VolumePath path) {
        refuseOutwardLink(rootDir, path);
        try (SafeDir parent = rootDir.dir(path.parent().rel())) {
            int fd = parent.openEntry(path.name(), Syscalls.O_PATH, 0);
            Syscalls.close(fd);
        } catch (FsErrno e) {
            if (e.errno == Syscalls.ENOENT) {
                return;
            }
            if (e.errno != Syscalls.ELOOP) {
                throw e;
            }
        }
        throw ServiceException.badRequest("Destination already exists: " + path);
    }

    /** A write must not land on a symlink that points outside, even though renaming over it would be harmless. */
    static void refuseOutwardLink(SafeDir rootDir, VolumePath path) {
        try {
            int fd = rootDir.open(path.rel(), Syscalls.O_PATH);
            Syscalls.close(fd);
        } catch (FsErrno e) {
            if (e.errno != Syscalls.ENOENT) {
                throw e;
            }
        }
    }

    /**
     * The attributes of an fd that must be a regular file or a folder: FIFOs, sockets and devices (a
     * container can make them) are neither read nor copied.
     */
    static BasicFileAttributes requireFileOrFolder(int fd, VolumePath path) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(SafeDir.proc(fd), BasicFileAttributes.class);
        } catch (IOException e) {
            attrs = null;
        }
        if (attrs == null || !(attrs.isRegularFile() || attrs.isDirectory())) {
            throw ServiceException.badRequest("Not a regular file: " + path);
        }
        return attrs;
    }

    private static void requireFile(VolumePath path) {
        if (path.isRoot()) {
            throw ServiceException.badRequest("Missing path");
        }
    }

    static void quietUnlink(SafeDir dir, String name) {
        try {
            Syscalls.unlinkat(dir.fd, name, 0);
        } catch (FsErrno ignored) {
            // already gone
        }
    }

    /** Kernel answers in client terms: escapes are traversal, a missing file is 404. */
    static ServiceException translate(FsErrno e, VolumePath path, boolean writing) {
        return switch (e.errno) {
            case Syscalls.EXDEV, Syscalls.ELOOP -> ServiceException.badRequest(VolumePath.TRAVERSAL);
            case Syscalls.ENOENT -> ServiceException.notFound("File not found: " + path);
            case Syscalls.ENOTDIR -> ServiceException.badRequest("Not a folder: a file is in the way of " + path);
            case Syscalls.EISDIR -> ServiceException.badRequest("Is a folder: " + path);
            case Syscalls.ENAMETOOLONG -> ServiceException.badRequest("Invalid path: too long");
            case Syscalls.ENXIO -> ServiceException.badRequest("Not a regular file: " + path);
            case Syscalls.ENOSPC, Syscalls.EDQUOT -> ServiceException.insufficientStorage(NO_SPACE);
            case Syscalls.EEXIST, Syscalls.ENOTEMPTY -> ServiceException.badRequest("Destination already exists: " + path);
            case Syscalls.EACCES, Syscalls.EPERM -> writing
                    ? ServiceException.internal("Failed to write file: permission denied", e)
                    : ServiceException.internal("Failed to read file: permission denied", e);
            default -> ServiceException.internal("File operation failed: " + e.getMessage(), e);
        };
    }
}
