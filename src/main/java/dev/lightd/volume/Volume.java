package dev.lightd.volume;

import java.nio.file.Path;

/** A folder on the host that containers mount at /home/container; diskLimit in bytes, 0 for none. */
public record Volume(String id, Path path, long createdAt, long diskLimit) {}
