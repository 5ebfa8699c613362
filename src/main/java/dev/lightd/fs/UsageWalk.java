package dev.lightd.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Bytes of the regular files beneath a folder (apparent sizes: a sparse file counts whole, a hard
 * link once per name), walked through descriptors (getdents and one statx per entry): each folder is opened from its parent's fd
 * without following a link, so a link swapped in by the game server mid-walk cannot lead the walk
 * outside, and a tree deeper than PATH_MAX is still counted. Entries that vanish meanwhile are skipped.
 */
final class UsageWalk {

    /** One open descriptor per level: deeper subtrees are not counted (a game server never nests this deep). */
    static final int MAX_DEPTH = 1024;

    private UsageWalk() {}

    record Result(long bytes, long entries, boolean truncated) {}

    static Result walk(SafeDir top) {
        record Level(SafeDir dir, Iterator<Path> entries) {}
        Deque<Level> stack = new ArrayDeque<>();
        long bytes = 0;
        long entries = 0;
        boolean truncated = false;
        stack.push(new Level(SafeDir.duplicate(top.fd), list(top).iterator()));
        try (Syscalls.StatBuffer stat = new Syscalls.StatBuffer()) {
            while (!stack.isEmpty()) {
                Level level = stack.peek();
                if (!level.entries().hasNext()) {
                    stack.pop().dir().close();
                    continue;
                }
                String name = level.entries().next().getFileName().toString();
                Syscalls.Stat st;
                try {
                    st = stat.stat(level.dir().fd, name);
                } catch (FsErrno gone) {
                    continue;
                }
                entries++;
                if (st.regularFile()) {
                    bytes += st.size();
                } else if (st.directory()) {
                    if (stack.size() >= MAX_DEPTH) {
                        truncated = true;
                        continue;
                    }
                    SafeDir sub;
                    try {
                        sub = level.dir().entryDir(name);
                    } catch (FsErrno swappedOrGone) {
                        continue; // replaced by a link or removed since it was listed
                    }
                    try {
                        stack.push(new Level(sub, list(sub).iterator()));
                    } catch (UncheckedIOException unreadable) {
                        sub.close();
                    }
                }
            }
        } finally {
            while (!stack.isEmpty()) {
                stack.pop().dir().close();
            }
        }
        return new Result(bytes, entries, truncated);
    }

    /** The entries of a folder, read at once so that only one directory stream is open at a time. */
    private static List<Path> list(SafeDir dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.proc())) {
            stream.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
