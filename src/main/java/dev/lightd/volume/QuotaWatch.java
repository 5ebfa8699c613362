package dev.lightd.volume;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The periodic walk of every volume with a limit: it sets each usage figure to what is on disk (so
 * writes made from inside a container are counted, and API figures drift no further than one
 * interval) and tells the owner of a volume found over its limit (the container service stops the
 * servers using it). One thread, one volume at a time: the walk's cost is bounded by the interval,
 * never multiplied by requests.
 */
public final class QuotaWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QuotaWatch.class);

    private final VolumeService volumes;
    private final Supplier<Duration> interval;
    private final Consumer<VolumeService.Measured> overLimit;
    private final Thread thread;
    /** Volumes the last walk found over: logged when they go over and when they are back under, not on every walk. */
    private final Set<String> over = new HashSet<>();

    /**
     * @param interval  the pause between walks, read before each (a config reload applies to the next)
     * @param overLimit told of each volume found over its limit, on every walk that finds it so
     */
    public QuotaWatch(VolumeService volumes, Supplier<Duration> interval, Consumer<VolumeService.Measured> overLimit) {
        this.volumes = volumes;
        this.interval = interval;
        this.overLimit = overLimit;
        this.thread = Thread.ofPlatform().daemon().name("quota-watch").unstarted(this::run);
    }

    public QuotaWatch start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                checkOnce();
            } catch (RuntimeException e) {
                log.warn("event=quota_walk_failed error=\"{}\"", e.getMessage());
            }
            try {
                Thread.sleep(interval.get());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One walk of every limited volume; over-limit ones are handed on. */
    void checkOnce() {
        Set<String> now = new HashSet<>();
        for (VolumeService.Measured m : volumes.measureLimited()) {
            if (m.over()) {
                now.add(m.volume().id());
                if (!over.contains(m.volume().id())) {
                    log.warn("event=volume_over_limit volume={} used={} limit={}", m.volume().id(), m.used(),
                            m.volume().diskLimit());
                }
                overLimit.accept(m);
            }
        }
        over.stream().filter(id -> !now.contains(id))
                .forEach(id -> log.info("event=volume_under_limit volume={}", id));
        over.clear();
        over.addAll(now);
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
