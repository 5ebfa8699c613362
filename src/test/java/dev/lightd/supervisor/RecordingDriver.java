package dev.lightd.supervisor;

import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.ContainerSpec;
import dev.lightd.runtime.Hardening;
import dev.lightd.runtime.ContainerState;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A face for the supervisor's unit tests: records every notice, wants_running save, console line
 * and inspect it is told of; its rules are switches the test sets. By default it restarts after a
 * crash, a clean exit is not a crash, the server is ready at once, and it is stopped by writing
 * "stop\n" to its stdin (30 s, then SIGKILL). prepare keeps an existing container and creates one
 * named after the server's engine name when there is none (or when told to recreate).
 */
final class RecordingDriver implements ServerDriver {

    static final String STOP_COMMAND = "stop";

    private final ContainerRuntime runtime;
    private final String engineName;

    final List<Notice> notices = new CopyOnWriteArrayList<>();
    final List<Boolean> saves = new CopyOnWriteArrayList<>();
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<Optional<ContainerState>> inspected = new CopyOnWriteArrayList<>();
    final AtomicInteger prepares = new AtomicInteger();

    volatile boolean restartOnCrash = true;
    volatile boolean crashOnCleanExit;
    volatile boolean recreate;
    volatile Readiness readiness = Readiness.immediate();
    volatile StopStrategy stopStrategy = StopStrategy.stdinCommand(STOP_COMMAND, Duration.ofSeconds(30));
    volatile RuntimeException refuseStart;

    RecordingDriver(ContainerRuntime runtime, String engineName) {
        this.runtime = runtime;
        this.engineName = engineName;
    }

    /** The notices from index {@code from} on, in order. */
    List<Notice> noticesFrom(int from) {
        List<Notice> all = List.copyOf(notices);
        return all.subList(Math.min(from, all.size()), all.size());
    }

    long count(Class<? extends Notice> kind) {
        return notices.stream().filter(kind::isInstance).count();
    }

    /** The container id the face has recorded: set by prepare, as the faces do. */
    volatile String engineId;

    @Override
    public String engineId() {
        return engineId;
    }

    @Override
    public void checkStart() {
        RuntimeException refusal = refuseStart;
        if (refusal != null) {
            throw refusal;
        }
    }

    @Override
    public String prepare(Optional<ContainerState> existing) {
        prepares.incrementAndGet();
        if (existing.isPresent() && !recreate) {
            return existing.get().id();
        }
        existing.ifPresent(s -> runtime.remove(s.id()));
        engineId = runtime.create(new ContainerSpec(engineName, "test/image:1", null, List.of(), "/data", Map.of(),
                Map.of(), List.of(), 0, 0, List.of(), null, Hardening.NONE));
        return engineId;
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    @Override
    public StopStrategy stopStrategy() {
        return stopStrategy;
    }

    @Override
    public void saveWantsRunning(boolean wantsRunning) {
        saves.add(wantsRunning);
    }

    @Override
    public boolean restartOnCrash() {
        return restartOnCrash;
    }

    @Override
    public boolean crashOnCleanExit() {
        return crashOnCleanExit;
    }

    @Override
    public void inspected(Optional<ContainerState> state) {
        inspected.add(state);
    }

    @Override
    public void line(String line) {
        lines.add(line);
    }

    @Override
    public void notice(Notice notice) {
        notices.add(notice);
    }
}
