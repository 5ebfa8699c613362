package dev.lightd.fs;

/** A finished archive: its path in the volume and its real size in bytes. */
public record ArchiveResult(String archivePath, long size) {}
