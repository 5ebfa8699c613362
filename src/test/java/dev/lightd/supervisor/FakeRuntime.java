package dev.lightd.supervisor;

import dev.lightd.runtime.Attachment;
import dev.lightd.runtime.ContainerNameTakenException;
import dev.lightd.runtime.ContainerNotFoundException;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.ContainerSpec;
import dev.lightd.runtime.ContainerState;
import dev.lightd.runtime.Hardening;
import dev.lightd.runtime.EngineEvent;
import dev.lightd.runtime.EngineUnavailableException;
import dev.lightd.runtime.StatsSample;

import java.io.Closeable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory container engine for the supervisor's unit tests: containers are records of a state,
 * processes end when the test (or a kill, a stop, a stdin rule) says so, and engine events go to
 * the consumers given to {@link #events} on the thread that caused them, in order, unless the test
 * holds them back ({@link #holdEvents}) the way a lagging event stream would.
 *
 * <p>Everything the engine interface offers throws {@link EngineUnavailableException} while the
 * engine is away ({@link #goAway}); the test's own levers (exit, print, kill from outside) work
 * regardless, and what happens meanwhile sends no events (nobody is subscribed). One lock guards
 * the state; events, stream ends and console lines are delivered outside it.
 */
final class FakeRuntime implements ContainerRuntime {

    static final int SIGKILL_EXIT = 137;
    static final int SIGTERM_EXIT = 143;

    /** One container and its current (or last) process. */
    private static final class Container {
        final String id;
        final String name;
        String status = "created";
        int exitCode;
        Instant startedAt;
        int starts;
        boolean ignoresSigterm;
        Hardening hardening = Hardening.NONE;
        final List<String> output = new ArrayList<>();
        final List<String> stdin = new ArrayList<>();
        final List<String> signals = new ArrayList<>();
        final List<FakeAttachment> attachments = new ArrayList<>();
        final List<FakeStats> stats = new ArrayList<>();
        final List<CompletableFuture<Integer>> exitWaiters = new ArrayList<>();

        Container(String id, String name) {
            this.id = id;
            this.name = name;
        }

        boolean running() {
            return "running".equals(status) || "paused".equals(status);
        }
    }

    /** An attach stream: records what is written to stdin; the test pushes lines with {@link #print}. */
    final class FakeAttachment implements Attachment {
        final String containerId;
        private final Consumer<String> lines;
        private final Runnable onEnd;
        final List<String> writes = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        volatile boolean ended;

        FakeAttachment(String containerId, Consumer<String> lines, Runnable onEnd) {
            this.containerId = containerId;
            this.lines = lines;
            this.onEnd = onEnd;
        }

        @Override
        public void write(String text) {
            if (!closed) {
                writes.add(text);
                written(containerId, text);
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        /** A line that was already in flight when the stream was closed or ended: delivered all the same. */
        void deliverLate(String line) {
            lines.accept(line);
        }

        boolean live() {
            return !closed && !ended;
        }
    }

    /** A stats stream: the test pushes samples while it is open. */
    final class FakeStats implements Closeable {
        private final Consumer<StatsSample> samples;
        volatile boolean closed;

        FakeStats(Consumer<StatsSample> samples) {
            this.samples = samples;
        }

        /** Delivers a sample when the stream is open; false when it is closed. */
        boolean push(StatsSample sample) {
            if (closed) {
                return false;
            }
            samples.accept(sample);
            return true;
        }

        /** A sample already in flight when the stream was closed: delivered all the same. */
        void deliverLate(StatsSample sample) {
            samples.accept(sample);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private record Subscription(Consumer<EngineEvent> events, Runnable onEnd) {}

    /** What a change under the lock sends afterwards, outside it: stream ends, then events. */
    private static final class Outbox {
        final List<EngineEvent> events = new ArrayList<>();
        final List<Runnable> ends = new ArrayList<>();

        void event(Container c, String action, Integer exitCode) {
            events.add(new EngineEvent(c.id, c.name, action, exitCode, null, Instant.now()));
        }

        /** A "kill" event names its signal, as the engine's does. */
        void kill(Container c, String signal) {
            events.add(new EngineEvent(c.id, c.name, "kill", null, signal, Instant.now()));
        }
    }

    private final Object lock = new Object();
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final List<EngineEvent> held = new ArrayList<>();
    private final List<EngineEvent> delivered = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> stdinRules = new HashMap<>();
    private final List<String> inspectThreads = new CopyOnWriteArrayList<>();
    private final List<String> networks = new CopyOnWriteArrayList<>();
    private boolean holding;
    private volatile Runnable afterStart = () -> { };
    private volatile CountDownLatch inspectGate;
    private final AtomicInteger inspectsAtGate = new AtomicInteger();
    private volatile boolean away;
    private RuntimeException nextStartFailure;
    private int created;

    // ---- the test's levers ----

    /** A container that already runs (found at daemon start), having printed these lines. */
    String createRunning(String name, String... output) {
        synchronized (lock) {
            Container c = newContainer(name);
            c.status = "running";
            c.starts = 1;
            c.startedAt = Instant.now();
            c.output.addAll(List.of(output));
            return c.id;
        }
    }

    /** Writing exactly this text to a running process's stdin makes it exit by itself with the code. */
    void exitOnStdin(String text, int exitCode) {
        synchronized (lock) {
            stdinRules.put(text, exitCode);
        }
    }

    /** Forgets every stdin rule: the process ignores what it is told (a stop command included). */
    void ignoreStdin() {
        synchronized (lock) {
            stdinRules.clear();
        }
    }

    /** An operator's `docker pause`: the process is frozen ("pause"). */
    void pauseFromOutside(String id) {
        Outbox out = new Outbox();
        synchronized (lock) {
            Container c = get(id);
            requireRunning(c);
            c.status = "paused";
            out.event(c, "pause", null);
        }
        finish(out);
    }

    String status(String id) {
        synchronized (lock) {
            return get(id).status;
        }
    }

    /** The process ignores SIGTERM (and the engine's stop then ends it with SIGKILL). */
    void ignoreSigterm(String id) {
        synchronized (lock) {
            get(id).ignoresSigterm = true;
        }
    }

    /** Runs at the end of every successful start, on the starting thread, outside the engine's lock. */
    void afterStart(Runnable r) {
        afterStart = r;
    }

    /** From now on every inspect waits until the gate opens (an engine slow to answer). */
    void holdInspects(CountDownLatch gate) {
        inspectGate = gate;
    }

    /** How many inspects have waited at a gate so far. */
    int inspectsAtGate() {
        return inspectsAtGate.get();
    }

    /** The next start throws this (and leaves the container as it was). */
    void failNextStart(RuntimeException e) {
        synchronized (lock) {
            nextStartFailure = e;
        }
    }

    /** The process exits by itself with the code: the engine sends "die". */
    void exit(String id, int exitCode) {
        Outbox out = new Outbox();
        synchronized (lock) {
            Container c = get(id);
            requireRunning(c);
            end(c, exitCode, out);
        }
        finish(out);
    }

    /** An operator's `docker kill` (SIGKILL): "kill", then the process ends with 137 and "die". */
    void killFromOutside(String id) {
        signalFromOutside(id, "SIGKILL");
    }

    /**
     * An operator's `docker kill -s SIGNAL`: "kill"; SIGKILL ends the process (137), SIGTERM too
     * (143) unless it ignores it, any other signal leaves it running.
     */
    void signalFromOutside(String id, String signal) {
        Outbox out = new Outbox();
        synchronized (lock) {
            Container c = get(id);
            requireRunning(c);
            signalLocked(c, signal, out);
        }
        finish(out);
    }

    /** An operator's `docker stop`: "kill" (SIGTERM), the process ends with the code, "die", "stop". */
    void stopFromOutside(String id, int exitCode) {
        Outbox out = new Outbox();
        synchronized (lock) {
            Container c = get(id);
            requireRunning(c);
            c.signals.add("SIGTERM");
            out.kill(c, "SIGTERM");
            end(c, exitCode, out);
            out.event(c, "stop", null);
        }
        finish(out);
    }

    /** An operator's `docker restart`: "kill" (SIGTERM), exit 0, "die", "stop", then a new process, "start". */
    void restartFromOutside(String id) {
        Outbox out = new Outbox();
        synchronized (lock) {
            Container c = get(id);
            requireRunning(c);
            c.signals.add("SIGTERM");
            out.kill(c, "SIGTERM");
            end(c, 0, out);
            out.event(c, "stop", null);
            c.status = "running";
            c.starts++;
            c.startedAt = Instant.now();
            out.event(c, "start", null);
        }
        finish(out);
    }

    /** The process prints a line: it reaches every open attach stream and the engine's log. */
    void print(String id, String line) {
        List<FakeAttachment> to = new ArrayList<>();
        synchronized (lock) {
            Container c = get(id);
            requireRunning(c);
            c.output.add(line);
            for (FakeAttachment a : c.attachments) {
                if (a.live()) {
                    to.add(a);
                }
            }
        }
        for (FakeAttachment a : to) {
            a.lines.accept(line);
        }
    }

    /** An engine event the test makes up (a stale or foreign one), sent like any other. */
    void emit(String id, String action, Integer exitCode) {
        String name;
        synchronized (lock) {
            name = get(id).name;
        }
        Outbox out = new Outbox();
        out.events.add(new EngineEvent(id, name, action, exitCode, null, Instant.now()));
        finish(out);
    }

    /** Events are kept back from now on (a lagging event stream) until {@link #releaseEvents}. */
    void holdEvents() {
        synchronized (lock) {
            holding = true;
        }
    }

    /** Sends the events kept back, in order, on the calling thread; later ones go out at once again. */
    void releaseEvents() {
        List<EngineEvent> out;
        synchronized (lock) {
            holding = false;
            out = new ArrayList<>(held);
            held.clear();
        }
        deliver(out);
    }

    /**
     * The engine goes away (stopped, socket gone): every event stream ends (its onEnd runs), every
     * attach stream ends, and every call throws until {@link #comeBack}. Processes go on running
     * (as with live-restore) unless the test ends them.
     */
    void goAway() {
        List<Runnable> ends = new ArrayList<>();
        synchronized (lock) {
            away = true;
            for (Subscription s : subscribers) {
                ends.add(s.onEnd());
            }
            subscribers.clear();
            for (Container c : containers.values()) {
                endStreams(c, ends);
            }
        }
        ends.forEach(Runnable::run);
    }

    void comeBack() {
        away = false;
    }

    // ---- what the test reads ----

    boolean isRunning(String id) {
        synchronized (lock) {
            return get(id).running();
        }
    }

    int starts(String id) {
        synchronized (lock) {
            return get(id).starts;
        }
    }

    /** Every container this engine has, oldest first. */
    List<String> ids() {
        synchronized (lock) {
            return List.copyOf(containers.keySet());
        }
    }

    /** Every attach stream opened on the container, oldest first. */
    List<FakeAttachment> attachments(String id) {
        synchronized (lock) {
            return List.copyOf(get(id).attachments);
        }
    }

    List<FakeStats> statsStreams(String id) {
        synchronized (lock) {
            return List.copyOf(get(id).stats);
        }
    }

    /** Everything written to the container's stdin, across all its attach streams. */
    List<String> stdin(String id) {
        synchronized (lock) {
            return List.copyOf(get(id).stdin);
        }
    }

    /** Every signal sent to the container (kill, the engine's stop), in order. */
    List<String> signals(String id) {
        synchronized (lock) {
            return List.copyOf(get(id).signals);
        }
    }

    /** How many inspects came from threads whose name starts with the prefix. */
    long inspectsFrom(String threadNamePrefix) {
        return inspectThreads.stream().filter(n -> n.startsWith(threadNamePrefix)).count();
    }

    /** The events sent to subscribers so far, in order. */
    List<EngineEvent> deliveredEvents() {
        return List.copyOf(delivered);
    }

    List<String> networks() {
        return List.copyOf(networks);
    }

    // ---- ContainerRuntime ----

    @Override
    public void ping() {
        requireUp();
    }

    @Override
    public boolean imageExists(String image) {
        requireUp();
        return true;
    }

    @Override
    public void ensureNetwork(String name) {
        requireUp();
        networks.add(name);
    }

    @Override
    public String create(ContainerSpec spec) {
        requireUp();
        synchronized (lock) {
            for (Container c : containers.values()) {
                if (c.name.equals(spec.name())) {
                    throw new ContainerNameTakenException(spec.name());
                }
            }
            Container c = newContainer(spec.name());
            c.hardening = spec.hardening();
            return c.id;
        }
    }

    @Override
    public void start(String id) {
        requireUp();
        Outbox out = new Outbox();
        synchronized (lock) {
            Container c = get(id);
            if (nextStartFailure != null) {
                RuntimeException e = nextStartFailure;
                nextStartFailure = null;
                throw e;
            }
            if (c.running()) {
                return;
            }
            c.status = "running";
            c.starts++;
            c.startedAt = Instant.now();
            out.event(c, "start", null);
        }
        finish(out);
        afterStart.run();
    }

    @Override
    public Attachment attach(String id, Consumer<String> lines, Runnable onEnd) {
        requireUp();
        synchronized (lock) {
            Container c = get(id);
            FakeAttachment a = new FakeAttachment(c.id, lines, onEnd);
            c.attachments.add(a);
            return a;
        }
    }

    @Override
    public Closeable stats(String id, Consumer<StatsSample> samples) {
        requireUp();
        synchronized (lock) {
            Container c = get(id);
            FakeStats s = new FakeStats(samples);
            c.stats.add(s);
            return s;
        }
    }

    @Override
    public void kill(String id, String signal) {
        requireUp();
        Outbox out = new Outbox();
        synchronized (lock) {
            Container c = get(id);
            if (!c.running()) {
                return; // the engine refuses: not running (DockerRuntime swallows it)
            }
            signalLocked(c, signal, out);
        }
        finish(out);
    }

    /** "kill" (SIGTERM), the process ends with 0 (137 when it ignores SIGTERM: SIGKILL after the timeout), "die", "stop". */
    @Override
    public void stop(String id, int timeoutSeconds) {
        requireUp();
        Outbox out = new Outbox();
        synchronized (lock) {
            Container c = get(id);
            if (!c.running()) {
                return;
            }
            c.signals.add("SIGTERM");
            out.kill(c, "SIGTERM");
            if (c.ignoresSigterm) {
                c.signals.add("SIGKILL");
                out.kill(c, "SIGKILL");
            }
            end(c, c.ignoresSigterm ? SIGKILL_EXIT : 0, out);
            out.event(c, "stop", null);
        }
        finish(out);
    }

    @Override
    public void unpause(String id) {
        requireUp();
        Outbox out = new Outbox();
        synchronized (lock) {
            Container c = get(id);
            if ("paused".equals(c.status)) {
                c.status = "running";
                out.event(c, "unpause", null);
            }
        }
        finish(out);
    }

    @Override
    public void remove(String idOrName) {
        requireUp();
        Outbox out = new Outbox();
        synchronized (lock) {
            Container c = find(idOrName);
            if (c == null) {
                return;
            }
            if (c.running()) {
                c.signals.add("SIGKILL");
                out.kill(c, "SIGKILL");
                end(c, SIGKILL_EXIT, out);
            }
            containers.remove(c.id);
            out.event(c, "destroy", null);
        }
        finish(out);
    }

    @Override
    public Optional<ContainerState> inspect(String idOrName) {
        requireUp();
        inspectThreads.add(Thread.currentThread().getName());
        CountDownLatch gate = inspectGate;
        if (gate != null) {
            inspectsAtGate.incrementAndGet();
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            Container c = find(idOrName);
            if (c == null) {
                return Optional.empty();
            }
            return Optional.of(new ContainerState(c.id, c.name, c.status, c.running(), c.exitCode, c.startedAt,
                    "none", Map.of(), Map.of(), c.hardening));
        }
    }

    @Override
    public CompletableFuture<Integer> waitForExit(String id, boolean nextExit) {
        requireUp();
        synchronized (lock) {
            Container c = find(id);
            if (c == null) {
                return CompletableFuture.failedFuture(new ContainerNotFoundException(id));
            }
            if (!nextExit && !c.running()) {
                return CompletableFuture.completedFuture(c.exitCode);
            }
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            c.exitWaiters.add(exit);
            return exit;
        }
    }

    @Override
    public List<String> tail(String id, int lines) {
        requireUp();
        synchronized (lock) {
            Container c = find(id);
            if (c == null) {
                return List.of();
            }
            return List.copyOf(c.output.subList(Math.max(0, c.output.size() - lines), c.output.size()));
        }
    }

    @Override
    public Closeable events(Consumer<EngineEvent> events, Runnable onEnd) {
        requireUp();
        Subscription s = new Subscription(events, onEnd);
        subscribers.add(s);
        return () -> subscribers.remove(s);
    }

    @Override
    public void close() {
    }

    // ---- inside ----

    private Container newContainer(String name) {
        Container c = new Container("c" + (++created) + "-" + name, name);
        containers.put(c.id, c);
        return c;
    }

    private void signalLocked(Container c, String signal, Outbox out) {
        c.signals.add(signal);
        out.kill(c, signal);
        if ("SIGKILL".equals(signal)) {
            end(c, SIGKILL_EXIT, out);
        } else if ("SIGTERM".equals(signal) && !c.ignoresSigterm) {
            end(c, SIGTERM_EXIT, out);
        }
    }

    /** Under the lock: the process ended; its streams end and "die" is sent afterwards. */
    private void end(Container c, int exitCode, Outbox out) {
        c.status = "exited";
        c.exitCode = exitCode;
        for (CompletableFuture<Integer> w : c.exitWaiters) {
            w.complete(exitCode);
        }
        c.exitWaiters.clear();
        endStreams(c, out.ends);
        out.event(c, "die", exitCode);
    }

    private void endStreams(Container c, List<Runnable> ends) {
        for (FakeAttachment a : c.attachments) {
            if (!a.ended) {
                a.ended = true;
                ends.add(a.onEnd);
            }
        }
        for (FakeStats s : c.stats) {
            s.closed = true;
        }
    }

    private void written(String containerId, String text) {
        Outbox out = new Outbox();
        synchronized (lock) {
            Container c = containers.get(containerId);
            if (c == null) {
                return;
            }
            c.stdin.add(text);
            Integer code = stdinRules.get(text);
            if (code == null || !"running".equals(c.status)) { // a paused process reads nothing
                return;
            }
            end(c, code, out);
        }
        finish(out);
    }

    /** Outside the lock: runs the stream ends, then sends the events (or keeps them back). */
    private void finish(Outbox out) {
        out.ends.forEach(Runnable::run);
        List<EngineEvent> now = new ArrayList<>();
        synchronized (lock) {
            if (holding) {
                held.addAll(out.events);
            } else {
                now.addAll(out.events);
            }
        }
        deliver(now);
    }

    private void deliver(List<EngineEvent> events) {
        for (EngineEvent e : events) {
            delivered.add(e);
            for (Subscription s : subscribers) {
                s.events().accept(e);
            }
        }
    }

    private void requireUp() {
        if (away) {
            throw new EngineUnavailableException("fake engine is away", null);
        }
    }

    private void requireRunning(Container c) {
        if (!c.running()) {
            throw new IllegalStateException("test error: " + c.id + " is not running");
        }
    }

    private Container get(String idOrName) {
        Container c = find(idOrName);
        if (c == null) {
            throw new ContainerNotFoundException(idOrName);
        }
        return c;
    }

    private Container find(String idOrName) {
        if (idOrName == null) {
            return null;
        }
        Container c = containers.get(idOrName);
        if (c != null) {
            return c;
        }
        for (Container x : containers.values()) {
            if (x.name.equals(idOrName)) {
                return x;
            }
        }
        return null;
    }
}
