package dev.lightd.fs;

import java.time.Instant;

/**
 * One entry of a folder listing, or what a path names: type is file or directory, size 0 for
 * folders. modifiedAt is the entry's own last change; for a link that points outside it is the
 * link's, so nothing about its target is revealed.
 */
public record FileEntry(String name, String type, long size, Instant modifiedAt) {

    public boolean isFolder() {
        return "directory".equals(type);
    }
}
