package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import dev.lightd.fs.FolderTree;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Each mcctl server's own folder, {@code <data>/servers/<name>}, mounted at {@code /data} in its
 * container as itzg's image expects: {@code server.properties}, {@code whitelist.json},
 * {@code ops.json}, {@code banned-players.json}, plugins and the like live here. The world is a
 * separate folder ({@link WorldFolders}) mounted over {@code /data/<world>}, so worlds outlive
 * and move between servers; on the host this folder holds only an empty mount point for it.
 */
public final class ServerFolders {

    private final Path dir;

    public ServerFolders(Path dir) {
        this.dir = dir;
    }

    /** The folder of a server (its name already checked by {@link McNames}). */
    public Path of(String server) {
        return dir.resolve(server);
    }

    void delete(String server) {
        try {
            FolderTree.delete(of(server));
        } catch (IOException e) {
            throw ServiceException.internal("Cannot remove server folder: " + e.getMessage(), e);
        }
    }
}
