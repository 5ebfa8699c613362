package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import dev.lightd.fs.FolderTree;
import dev.lightd.store.MinecraftStore;
import dev.lightd.store.MinecraftStore.WorldRow;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Worlds: folders under <data>/worlds/<name>, each locked by at most one server (the lock lives in the store). */
public final class WorldService {

    public record WorldView(String name, String path, boolean locked, String lockedBy, long sizeBytes,
                            Instant lastModified) {}

    public record Assignment(String worldName, String serverName) {}

    private final MinecraftStore store;
    private final MinecraftService servers;
    private final WorldFolders folders;
    private final Clock clock;

    public WorldService(MinecraftStore store, MinecraftService servers, WorldFolders folders, Clock clock) {
        this.store = store;
        this.servers = servers;
        this.folders = folders;
        this.clock = clock;
    }

    /** What POST /api/worlds did: serverName is the container it was assigned to (null: none). */
    public record Created(String worldName, String seed, String serverName, boolean started) {}

    /**
     * Creates a world and, when a server is named, assigns it (the server must exist: nothing is
     * created otherwise) and with autoStart brings the server up on it.
     */
    public Created create(String name, String seed, String serverName, boolean autoStart) {
        String server = null;
        if (serverName != null) {
            server = McNames.server(serverName, "serverName");
            if (!servers.exists(server)) {
                throw ServiceException.notFound("Server '" + serverName + "' not found");
            }
        }
        WorldView w = create(name, seed);
        if (server == null) {
            return new Created(w.name(), seed, null, false);
        }
        Assignment a = assign(w.name(), server);
        if (autoStart) {
            servers.startOnAssignedWorld(server);
        }
        return new Created(w.name(), seed, a.serverName(), autoStart);
    }

    public WorldView create(String name, String seed) {
        String n = McNames.world(name, "name");
        folders.requireRoom("creating a world");
        if (!store.insertWorld(new WorldRow(n, ServerSettings.seed(seed), null, clock.instant().getEpochSecond()))) {
            throw ServiceException.conflict("World '" + n + "' already exists");
        }
        folders.createFolder(n);
        return get(n);
    }

    public List<WorldView> list() {
        return store.worlds().stream().map(this::view).toList();
    }

    public WorldView get(String name) {
        return view(find(name));
    }

    /** Locks the world for the server (409 when another holds it); the server uses it from its next start. */
    public Assignment assign(String worldName, String serverName) {
        WorldRow w = find(worldName);
        String server = McNames.server(serverName, "serverName");
        if (!servers.exists(server)) {
            throw ServiceException.notFound("Server '" + serverName + "' not found");
        }
        String container = servers.containerName(server);
        MinecraftStore.LockAttempt lock = store.lock(w.name(), container, server, servers.worldInUse(server));
        if (!lock.worldExists()) {
            throw ServiceException.notFound("World '" + worldName + "' not found");
        }
        if (lock.heldBy().isPresent()) {
            throw ServiceException.conflict("World '" + w.name() + "' is already locked by " + lock.heldBy().get());
        }
        servers.setWorld(server, w.name());
        return new Assignment(w.name(), container);
    }

    /**
     * Releases the lock; a world a running server has mounted needs force. Answers who held it
     * (null when nobody).
     */
    public String release(String worldName, boolean force) {
        WorldRow w = find(worldName);
        String holder = w.lockedBy();
        Optional<String> user = servers.runningOn(w.name());
        if (user.isPresent() && !force) {
            throw ServiceException.conflict("World '" + w.name() + "' is in use by running server " + user.get()
                    + "; stop it first or use force=true");
        }
        store.release(w.name());
        return holder;
    }

    /**
     * Deletes the folder and the row; a locked world needs force, and a world a running server has
     * mounted is never deleted. Answers its size before deletion.
     */
    public long delete(String worldName, boolean force) {
        WorldRow w = find(worldName);
        if (w.lockedBy() != null && !force) {
            throw ServiceException.conflict("World '" + w.name() + "' is locked by " + w.lockedBy()
                    + "; release it first or use force=true");
        }
        Optional<String> user = servers.runningOn(w.name());
        if (user.isPresent()) {
            throw ServiceException.conflict("World '" + w.name() + "' is in use by running server " + user.get());
        }
        Path dir = folders.of(w.name());
        long size = size(dir);
        deleteTree(dir);
        store.deleteWorld(w.name());
        return size;
    }

    private WorldRow find(String name) {
        String n = McNames.world(name);
        return store.world(n).orElseThrow(() -> ServiceException.notFound("World '" + n + "' not found"));
    }

    private WorldView view(WorldRow w) {
        Path dir = folders.of(w.name());
        FolderTree.Summary summary = FolderTree.summarize(dir);
        Instant modified = summary.lastModified() != null ? summary.lastModified() : Instant.ofEpochSecond(w.createdAt());
        return new WorldView(w.name(), dir.toString(), w.lockedBy() != null, w.lockedBy(), summary.bytes(), modified);
    }

    private static long size(Path dir) {
        return FolderTree.size(dir);
    }

    private static void deleteTree(Path dir) {
        try {
            FolderTree.delete(dir);
        } catch (IOException e) {
            throw ServiceException.internal("Cannot delete world folder: " + e.getMessage(), e);
        }
    }
}
