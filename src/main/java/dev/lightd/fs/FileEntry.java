package dev.lightd.fs;

/** One entry of a folder listing: type is file or directory, size 0 for folders. */
public record FileEntry(String name, String type, long size) {}
