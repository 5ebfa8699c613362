package dev.lightd.volume;

import dev.lightd.ServiceException;
import dev.lightd.config.LiveConfig;
import dev.lightd.fs.FolderTree;
import dev.lightd.store.VolumeStore;
import dev.lightd.store.VolumeStore.VolumeRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.Locale;

/** Creates, finds and removes volumes; what is inside them is the business of {@code fs}. */
public final class VolumeService {

    private static final Logger log = LoggerFactory.getLogger(VolumeService.class);
    public static final String NOT_FOUND = "Volume not found";
    static final int MIN_PREFIX = 8;
    private static final Pattern ID_CHARS = Pattern.compile("[0-9a-f-]{1,36}");

    private final LiveConfig config;
    private final VolumeStore store;
    private final Predicate<String> inUse;
    private final Clock clock;

    /**
     * @param inUse whether a container still mounts the volume of this id; such a volume cannot be
     *              deleted
     */
    public VolumeService(LiveConfig config, VolumeStore store, Predicate<String> inUse, Clock clock) {
        this.config = config;
        this.store = store;
        this.inUse = inUse;
        this.clock = clock;
    }

    public Volume create() {
        String id = UUID.randomUUID().toString();
        Path path = Path.of(config.get().storage().volumesPath()).resolve(id);
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw ServiceException.internal("Failed to create volume: " + e.getMessage(), e);
        }
        VolumeRow row = new VolumeRow(id, path.toString(), clock.instant().getEpochSecond());
        try {
            store.insert(row);
        } catch (RuntimeException e) {
            deleteTree(path);
            throw e;
        }
        log.info("event=volume_created volume={} path={}", id, path);
        return toVolume(row);
    }

    /** By full id or by a unique prefix of at least 8 characters, as the seed writes /volumes/d6764075/... */
    public Volume find(String idOrPrefix) {
        String key = idOrPrefix == null ? "" : idOrPrefix.toLowerCase(Locale.ROOT);
        if (key.length() < MIN_PREFIX || !ID_CHARS.matcher(key).matches()) {
            throw ServiceException.notFound(NOT_FOUND);
        }
        List<VolumeRow> rows = store.findByPrefix(key, 2);
        if (rows.isEmpty()) {
            throw ServiceException.notFound(NOT_FOUND);
        }
        if (rows.size() > 1) {
            throw ServiceException.badRequest("Ambiguous volume id: '" + idOrPrefix + "' matches more than one volume");
        }
        return toVolume(rows.getFirst());
    }

    public List<Volume> list() {
        return store.all().stream().map(VolumeService::toVolume).toList();
    }

    public void delete(String idOrPrefix) {
        Volume volume = find(idOrPrefix);
        if (inUse.test(volume.id())) {
            throw ServiceException.badRequest("Volume is in use by a container");
        }
        store.delete(volume.id());
        deleteTree(volume.path());
        log.info("event=volume_deleted volume={}", volume.id());
    }

    /** Bytes of the regular files in the volume; symlinks are counted as links, never followed. */
    public long size(Volume volume) {
        return FolderTree.size(volume.path());
    }

    private static void deleteTree(Path root) {
        try {
            FolderTree.delete(root);
        } catch (IOException e) {
            log.warn("event=volume_folder_delete_failed path={} error={}", root, e.getMessage());
        }
    }

    private static Volume toVolume(VolumeRow row) {
        return new Volume(row.id(), Path.of(row.path()), row.createdAt());
    }
}
