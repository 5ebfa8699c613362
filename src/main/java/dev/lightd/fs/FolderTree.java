package dev.lightd.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whole folders the daemon owns (a volume, a world): their size and their removal. Symlinks are
 * counted and removed as links, never followed.
 */
public final class FolderTree {

    private FolderTree() {}

    /** What one walk of a folder tells: bytes of its regular files and its newest modification. */
    public record Summary(long bytes, Instant lastModified) {}

    /** Bytes of the regular files beneath; unreadable entries are skipped. */
    public static long size(Path root) {
        return summarize(root).bytes();
    }

    /**
     * One walk for both figures a listing shows; unreadable entries are skipped. A missing folder
     * is empty and has no modification time (null).
     */
    public static Summary summarize(Path root) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return new Summary(0, null);
        }
        AtomicLong total = new AtomicLong();
        AtomicReference<FileTime> newest = new AtomicReference<>(FileTime.fromMillis(0));
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    newest.accumulateAndGet(attrs.lastModifiedTime(), FolderTree::later);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total.addAndGet(attrs.size());
                    }
                    newest.accumulateAndGet(attrs.lastModifiedTime(), FolderTree::later);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // what was counted so far is the best answer there is
        }
        return new Summary(total.get(), newest.get().toInstant());
    }

    private static FileTime later(FileTime a, FileTime b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Removes the folder and everything in it; a missing folder is fine. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
