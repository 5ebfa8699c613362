package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import dev.lightd.fs.DiskBudget;
import dev.lightd.fs.DiskReserve;
import dev.lightd.fs.FileEntry;
import dev.lightd.fs.OpenFile;
import dev.lightd.fs.Upload;
import dev.lightd.fs.VolumeFs;
import dev.lightd.fs.VolumePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The files of an mcctl server: its own folder ({@link ServerFolders}) through the same openat2
 * layer as a volume's files, so traversal and links are refused alike. Paths are the console's:
 * rooted at "/", the server's folder; one leading "/" is that root, anything else absolute is
 * refused like "..".
 */
public final class ServerFiles {

    private static final Logger log = LoggerFactory.getLogger(ServerFiles.class);

    private final MinecraftService servers;
    private final ServerFolders folders;
    private final DiskBudget budget;

    /** @param reserve the node's reserved free space: a server's folder has no quota of its own, but writes keep the reserve (507) */
    public ServerFiles(MinecraftService servers, ServerFolders folders, DiskReserve reserve) {
        this.servers = servers;
        this.folders = folders;
        this.budget = new DiskBudget() {
            @Override
            public void reserve(long bytes, String what) {
                reserve.check(bytes, what);
            }

            @Override
            public void release(long bytes) {
                // nothing counted per server folder
            }
        };
    }

    /** The files of a known server (404 otherwise); its folder is made if an older daemon never did. */
    public VolumeFs of(String server) {
        if (!servers.exists(server)) {
            throw ServiceException.notFound("Server '" + server + "' not found");
        }
        Path dir = folders.of(McNames.server(server));
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw ServiceException.internal("Cannot create server folder: " + e.getMessage(), e);
            }
        }
        return new VolumeFs(dir, budget);
    }

    /** A folder's entries as the console lists them: dot files hidden, as mcctl-api hides them. */
    public List<FileEntry> list(String server, String path) {
        VolumePath p = path(path);
        VolumeFs fs = of(server);
        FileEntry what = fs.stat(p).orElseThrow(() -> ServiceException.notFound("Path '" + path + "' not found"));
        if (!what.isFolder()) {
            throw ServiceException.badRequest("Path is not a directory: " + path);
        }
        return fs.list(p).stream().filter(e -> !e.name().startsWith(".")).toList();
    }

    public VolumeFs.TextFile readText(String server, String path, long maxBytes) {
        return of(server).readText(required(path), maxBytes);
    }

    /** Replaces (or makes) a text file whole, atomically; what it is now. */
    public FileEntry writeText(String server, String path, String content) {
        VolumePath p = required(path);
        VolumeFs fs = of(server);
        fs.writeFile(p, content.getBytes(StandardCharsets.UTF_8));
        return fs.stat(p).orElseThrow(() -> ServiceException.notFound("Path '" + path + "' not found"));
    }

    /** Removes a file, a link (never what it points to) or a folder with everything in it. */
    public void delete(String server, String path) {
        VolumePath p = path(path);
        if (p.isRoot()) {
            throw ServiceException.badRequest("Cannot delete root directory");
        }
        VolumeFs fs = of(server);
        requireEntry(fs, p, path);
        fs.delete(p);
    }

    public void createFolder(String server, String path) {
        VolumePath p = path(path);
        if (p.isRoot()) {
            throw ServiceException.conflict("Path '" + path + "' already exists");
        }
        VolumeFs fs = of(server);
        if (fs.entryExists(p)) {
            throw ServiceException.conflict("Path '" + path + "' already exists");
        }
        fs.createFolder(p);
    }

    public void rename(String server, String oldPath, String newPath) {
        VolumePath from = path(oldPath);
        VolumePath to = path(newPath);
        if (from.isRoot() || to.isRoot()) {
            throw ServiceException.badRequest("Cannot rename root directory");
        }
        VolumeFs fs = of(server);
        requireEntry(fs, from, oldPath);
        if (fs.entryExists(to)) {
            throw ServiceException.conflict("Path '" + newPath + "' already exists");
        }
        fs.move(from, to);
    }

    /** An upload into an existing folder of the server, limited as the caller says (storage.max_upload_*). */
    public Upload upload(String server, String folder, long maxBytes, int maxFiles) {
        return of(server).upload(path(folder), maxBytes, maxFiles);
    }

    public OpenFile download(String server, String path) {
        return of(server).open(required(path));
    }

    /** Something is there: a link counts as itself (deleting or renaming one never touches its target). */
    private static void requireEntry(VolumeFs fs, VolumePath p, String shown) {
        if (!fs.entryExists(p)) {
            throw ServiceException.notFound("Path '" + shown + "' not found");
        }
    }

    private static VolumePath required(String path) {
        VolumePath p = path(path);
        if (p.isRoot()) {
            throw ServiceException.badRequest("path query parameter is required (a file, not the root)");
        }
        return p;
    }

    /** A console path: "/" or "" is the server's folder, "/a/b" and "a/b" the same file in it. */
    public static VolumePath path(String clientPath) {
        if (clientPath == null) {
            return VolumePath.parse("");
        }
        return VolumePath.parse(clientPath.startsWith("/") ? clientPath.substring(1) : clientPath);
    }

    /**
     * At start, before the API answers: the temporary files a kill left in servers' folders (an
     * upload or write in progress) are removed, as for volumes.
     */
    public void removeTempFiles() {
        for (String server : servers.names()) {
            Path dir = folders.of(server);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                int removed = new VolumeFs(dir).removeTempFiles();
                if (removed > 0) {
                    log.info("event=server_tmp_cleaned server={} files={}", server, removed);
                }
            } catch (RuntimeException e) {
                log.warn("event=server_tmp_clean_failed server={} error=\"{}\"", server, e.getMessage());
            }
        }
    }
}
