package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import dev.lightd.fs.DiskReserve;
import dev.lightd.fs.FolderTree;
import dev.lightd.store.MinecraftStore;
import dev.lightd.store.MinecraftStore.WorldRow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;

/** The world folders under <data>/worlds and their rows: what servers and worlds both need. */
public final class WorldFolders {

    private final MinecraftStore store;
    private final Path dir;
    private final Clock clock;
    private final DiskReserve reserve;

    public WorldFolders(MinecraftStore store, Path dir, Clock clock) {
        this(store, dir, clock, DiskReserve.none());
    }

    /** @param reserve the free space kept for the store: worlds and servers are not made below it (507) */
    public WorldFolders(MinecraftStore store, Path dir, Clock clock, DiskReserve reserve) {
        this.store = store;
        this.dir = dir;
        this.clock = clock;
        this.reserve = reserve;
    }

    /** Refuses (507 InsufficientStorage) making anything while the data filesystem is below its reserve. */
    void requireRoom(String what) {
        reserve.check(0, what);
    }

    public Path dir() {
        return dir;
    }

    Path of(String world) {
        return dir.resolve(world);
    }

    /** Creates the world (row and folder) when it does not exist yet; answers whether it did. */
    boolean ensure(String name, String seed) {
        boolean created = store.insertWorld(new WorldRow(name, seed, null, clock.instant().getEpochSecond()));
        createFolder(name);
        return created;
    }

    /** Undoes {@link #ensure} for a server whose creation was refused after it: a refusal changes nothing. */
    void forget(String name) {
        try {
            FolderTree.delete(of(name));
        } catch (IOException e) {
            // the row goes anyway; an empty folder left behind is harmless
        }
        store.deleteWorld(name);
    }

    /** Folders a world reset moved aside, named so no world can be called so (names cannot start with '.'). */
    private static final String RESET_PREFIX = ".lightd-reset-";

    /**
     * Moves a world's folder aside in one rename and puts an empty one in its place; answers where
     * the old one went (null when there was none).
     */
    Path moveAside(String name) {
        Path aside = dir.resolve(RESET_PREFIX + name + "-" + Long.toHexString(clock.millis()));
        try {
            if (Files.exists(of(name), LinkOption.NOFOLLOW_LINKS)) {
                Files.move(of(name), aside, StandardCopyOption.ATOMIC_MOVE);
            } else {
                aside = null;
            }
            Files.createDirectories(of(name));
            return aside;
        } catch (IOException e) {
            throw ServiceException.internal("Cannot reset world folder: " + e.getMessage(), e);
        }
    }

    /** Removes a folder {@link #moveAside} made. */
    void discard(Path aside) {
        if (aside == null) {
            return;
        }
        try {
            FolderTree.delete(aside);
        } catch (IOException e) {
            // left for the next start's cleanup
        }
    }

    /** At start: removes what resets a kill interrupted left behind. */
    void removeResetLeftovers() {
        try (var list = Files.list(dir)) {
            list.filter(p -> p.getFileName().toString().startsWith(RESET_PREFIX)).forEach(this::discard);
        } catch (IOException e) {
            // no worlds folder yet
        }
    }

    void createFolder(String name) {
        try {
            Files.createDirectories(of(name));
        } catch (IOException e) {
            throw ServiceException.internal("Cannot create world folder: " + e.getMessage(), e);
        }
    }
}
