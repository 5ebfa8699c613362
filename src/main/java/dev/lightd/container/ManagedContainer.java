package dev.lightd.container;

import dev.lightd.runtime.Attachment;
import dev.lightd.runtime.StatsSample;

import java.io.Closeable;
import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * One managed container: its record, its power state, its console hub and the live engine streams.
 * Actions on it run one at a time under its lock; readers see volatile snapshots without waiting.
 */
final class ManagedContainer {

    final String id;
    final ConsoleHub console = new ConsoleHub(1000);
    final ReentrantLock lock = new ReentrantLock();
    final CrashPolicy crashes;

    volatile ContainerRecord record;
    volatile PowerState power = PowerState.OFFLINE;
    volatile StatsSample lastStats;
    volatile Pattern startPattern;
    /** Set when an exit is asked for (stop, kill, restart, delete), so it is not taken for a crash. */
    volatile boolean exitExpected;
    /** Counts kills; an action that started before a kill (a restart) must not start it again. */
    volatile long kills;
    /** Bumped whenever a new run starts, so the exit of an older run is ignored. */
    volatile long runGeneration;

    Attachment attachment;
    Closeable stats;

    ManagedContainer(ContainerRecord record, Clock clock) {
        this.id = record.internalId();
        this.record = record;
        this.startPattern = ContainerRules.startPattern(record.startPattern());
        this.crashes = new CrashPolicy(clock);
    }

    String engineName() {
        return "lightd-" + id;
    }

    String installerName() {
        return "lightd-" + id + "-install";
    }
}
