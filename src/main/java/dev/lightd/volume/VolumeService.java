package dev.lightd.volume;

import dev.lightd.ServiceException;
import dev.lightd.config.LiveConfig;
import dev.lightd.fs.DiskReserve;
import dev.lightd.fs.FolderTree;
import dev.lightd.fs.VolumeFs;
import dev.lightd.store.VolumeStore;
import dev.lightd.store.VolumeStore.VolumeRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.Locale;
import java.util.Set;
import java.util.HashSet;
import java.nio.file.LinkOption;

/** Creates, finds and removes volumes; what is inside them is the business of {@code fs}. */
public final class VolumeService {

    private static final Logger log = LoggerFactory.getLogger(VolumeService.class);
    public static final String NOT_FOUND = "Volume not found";
    static final int MIN_PREFIX = 8;
    private static final Pattern UUID_NAME =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ID_CHARS = Pattern.compile("[0-9a-f-]{1,36}");

    private final LiveConfig config;
    private final VolumeStore store;
    /** The smallest disk limit: below it not even an install script's first download fits. */
    public static final long MIN_DISK_LIMIT = 1024L * 1024;

    private final Predicate<String> inUse;
    private final Clock clock;
    private final DiskReserve reserve;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private final Map<String, VolumeQuota> quotas = new ConcurrentHashMap<>();

    /**
     * @param inUse whether a container still mounts the volume of this id; such a volume cannot be
     *              deleted
     */
    public VolumeService(LiveConfig config, VolumeStore store, Predicate<String> inUse, Clock clock) {
        this(config, store, inUse, clock, DiskReserve.none());
    }

    /** @param reserve the free space kept for the store: client writes and volume creation are refused below it */
    public VolumeService(LiveConfig config, VolumeStore store, Predicate<String> inUse, Clock clock,
                         DiskReserve reserve) {
        this.config = config;
        this.store = store;
        this.inUse = inUse;
        this.clock = clock;
        this.reserve = reserve;
    }

    /** A disk limit as POST /volumes takes it: 0 (none) or at least {@link #MIN_DISK_LIMIT} bytes. */
    public static long diskLimit(long bytes) {
        if (bytes != 0 && bytes < MIN_DISK_LIMIT) {
            throw ServiceException.badRequest("Invalid disk_limit: must be 0 (no limit) or at least "
                    + MIN_DISK_LIMIT + " bytes");
        }
        return bytes;
    }

    /**
     * The row first, then the folder: a kill between the two leaves a row whose folder is missing,
     * which {@link #reconcileAtStart()} makes again, never a folder the store does not know.
     */
    public Volume create() {
        return create(0);
    }

    /** As {@link #create()}, with a size limit in bytes (0: none); refused (507) below the node's reserve. */
    public Volume create(long diskLimit) {
        diskLimit(diskLimit);
        reserve.check(0, "creating a volume");
        String id = UUID.randomUUID().toString();
        Path path = Path.of(config.get().storage().volumesPath()).resolve(id);
        VolumeRow row = new VolumeRow(id, path.toString(), clock.instant().getEpochSecond(), diskLimit);
        store.insert(row);
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            store.delete(id);
            throw ServiceException.internal("Failed to create volume: " + e.getMessage(), e);
        }
        log.info("event=volume_created volume={} path={}", id, path);
        return toVolume(row);
    }

    /**
     * At daemon start, before the APIs answer: a volume whose folder is missing (a kill after its
     * row was written) gets it made again; the temporary files a kill left inside volumes
     * ({@code .lightd-tmp-*}) are removed; a volume-named folder with no row (a kill in an older
     * version, which made the folder first, or in a delete after its row went) is removed when empty
     * and only logged when not, since what is in it may be someone's data.
     */
    public void reconcileAtStart() {
        List<VolumeRow> rows = store.all();
        Set<String> known = new HashSet<>();
        for (VolumeRow row : rows) {
            known.add(row.id());
            Path path = Path.of(row.path());
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectories(path);
                    log.warn("event=volume_folder_recreated volume={} path={}", row.id(), path);
                } catch (IOException e) {
                    log.error("event=volume_folder_missing volume={} path={} error=\"{}\"", row.id(), path, e.getMessage());
                    continue;
                }
            }
            try {
                int removed = new VolumeFs(path).removeTempFiles();
                if (removed > 0) {
                    log.info("event=volume_tmp_cleaned volume={} files={}", row.id(), removed);
                }
            } catch (RuntimeException e) {
                log.warn("event=volume_tmp_clean_failed volume={} error=\"{}\"", row.id(), e.getMessage());
            }
        }
        Path volumes = Path.of(config.get().storage().volumesPath());
        if (!Files.isDirectory(volumes)) {
            return;
        }
        try (var entries = Files.newDirectoryStream(volumes)) {
            for (Path dir : entries) {
                String name = dir.getFileName().toString();
                if (!UUID_NAME.matcher(name).matches() || known.contains(name)
                        || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                boolean empty;
                try (var inside = Files.newDirectoryStream(dir)) {
                    empty = !inside.iterator().hasNext();
                }
                if (empty) {
                    Files.delete(dir);
                    log.warn("event=volume_orphan_removed path={}", dir);
                } else {
                    log.warn("event=volume_orphan_kept path={} reason=\"a folder with no volume row that is not empty\"", dir);
                }
            }
        } catch (IOException e) {
            log.warn("event=volume_orphan_scan_failed path={} error=\"{}\"", volumes, e.getMessage());
        }
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
        quotas.remove(volume.id());
        deleteTree(volume.path());
        log.info("event=volume_deleted volume={}", volume.id());
    }

    /** Bytes of the regular files in the volume; symlinks are counted as links, never followed. */
    public long size(Volume volume) {
        return FolderTree.size(volume.path());
    }

    /** The volume's files as a client may write them: within its limit and the node's reserve. */
    public VolumeFs files(Volume volume) {
        return new VolumeFs(volume.path(), quota(volume));
    }

    /** Sets the volume's limit (0: none): recorded, then applied to the next write. */
    public void setDiskLimit(String volumeId, long bytes) {
        Volume volume = find(volumeId);
        store.setDiskLimit(volume.id(), diskLimit(bytes));
        quota(volume).limit(bytes);
        log.info("event=volume_disk_limit volume={} bytes={}", volume.id(), bytes);
    }

    /** The volume's usage figure (bytes) as last measured and kept; 0 without a limit. */
    public long diskUsed(Volume volume) {
        return volume.diskLimit() > 0 ? quota(volume).used() : 0;
    }

    /**
     * Refuses (400) when the volume is over its limit: a server must not start into a volume it
     * already filled. An over-limit figure is measured again first, so space freed since the last
     * walk (files deleted on the host, or through the API) counts at once.
     */
    public void requireUnderLimit(String volumeId) {
        Volume volume = find(volumeId);
        if (volume.diskLimit() <= 0) {
            return;
        }
        VolumeQuota quota = quota(volume);
        if (quota.overLimit() && quota.measure() > quota.limit()) {
            throw ServiceException.badRequest(VolumeQuota.EXCEEDED + "the volume uses " + quota.used()
                    + " bytes of its " + quota.limit() + "-byte limit; free space in it before starting");
        }
    }

    /** What one walk of a limited volume found. */
    public record Measured(Volume volume, long used) {
        public boolean over() {
            return used > volume.diskLimit();
        }
    }

    /** Walks every volume that has a limit and takes the results as their figures (the periodic check). */
    public List<Measured> measureLimited() {
        List<Measured> out = new ArrayList<>();
        for (VolumeRow row : store.all()) {
            if (row.diskLimit() > 0) {
                Volume volume = toVolume(row);
                try {
                    long started = System.nanoTime();
                    long cpuStarted = CPU.getCurrentThreadCpuTime();
                    long used = quota(volume).measure();
                    log.debug("event=volume_measured volume={} bytes={} ms={} cpu_ms={}", row.id(), used,
                            (System.nanoTime() - started) / 1_000_000,
                            (CPU.getCurrentThreadCpuTime() - cpuStarted) / 1_000_000);
                    out.add(new Measured(volume, used));
                } catch (RuntimeException e) {
                    log.warn("event=volume_measure_failed volume={} error=\"{}\"", row.id(), e.getMessage());
                }
            }
        }
        return out;
    }

    private VolumeQuota quota(Volume volume) {
        return quotas.computeIfAbsent(volume.id(),
                id -> new VolumeQuota(volume.diskLimit(), reserve, () -> new VolumeFs(volume.path()).usedBytes()));
    }

    private static void deleteTree(Path root) {
        try {
            FolderTree.delete(root);
        } catch (IOException e) {
            log.warn("event=volume_folder_delete_failed path={} error={}", root, e.getMessage());
        }
    }

    private static Volume toVolume(VolumeRow row) {
        return new Volume(row.id(), Path.of(row.path()), row.createdAt(), row.diskLimit());
    }
}
