package dev.lightd.fs;

/** How far an archive may expand when extracted: bytes written and entries. */
public record ArchiveLimits(long maxBytes, long maxEntries) {}
