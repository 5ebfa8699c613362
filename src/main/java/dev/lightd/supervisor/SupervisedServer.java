package dev.lightd.supervisor;

import dev.lightd.console.ConsoleEvent;
import dev.lightd.console.ConsoleHub;
import dev.lightd.runtime.Attachment;
import dev.lightd.runtime.ContainerNotFoundException;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.ContainerState;
import dev.lightd.runtime.EngineEvent;
import dev.lightd.runtime.StatsSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One game server in one engine container, supervised for either face: its power state, whether
 * it should run, its console and stats, its crash restarts.
 *
 * <p>Two locks, as in Wings: the {@link PowerQueue} runs one power action at a time (start, stop,
 * restart, a face's compound action), and kill bypasses it; the {@code monitor} guards each state
 * change, so an exit noticed while a stop waits is recorded at once. Every run of the process has
 * its own {@link Run}; callbacks of an older run (a stale console, an engine that went away) can
 * never overwrite the state of a newer one.
 */
public final class SupervisedServer {

    private static final Logger log = LoggerFactory.getLogger(SupervisedServer.class);
    private static final int ADOPT_TAIL_LINES = 200;

    /** A power action; it drives the server through the {@link Power} it is handed. */
    @FunctionalInterface
    public interface Action {
        void run(Power power);
    }

    private final String name;
    private final String engineName;
    private final ServerDriver driver;
    private final ContainerRuntime runtime;
    private final SupervisorPolicy policy;
    private final Clock clock;
    private final ConsoleHub console;
    private final CrashPolicy crashes;
    private final PowerQueue power;
    private final Object monitor = new Object();

    private volatile PowerState state = PowerState.OFFLINE;
    private volatile boolean wantsRunning;
    private volatile Run run;
    private volatile StatsSample stats;
    private volatile long statsAt;
    private volatile Instant startedAt;
    private volatile String health = "none";
    private volatile boolean paused;
    /** Set when an exit was asked for (stop, kill), so it is not taken for a crash. Written under the monitor. */
    private volatile boolean exitExpected;
    /**
     * When (engine clock) the engine signalled this run without being asked by us: `docker stop` or
     * `kill` by an operator, or the engine stopping its containers as it shuts down. An exit soon
     * after is never a crash. Null when it was not.
     */
    private volatile Instant signalledFromOutsideAt;
    /**
     * Set just before the daemon itself asks the engine to start the container: the engine's
     * "start" event that follows is its own and needs no reconcile (an inspect saved per start).
     */
    private final AtomicBoolean ownStartPending = new AtomicBoolean();
    /** When (engine clock) the current run's process started: engine events from before it are an older run's. */
    private volatile Instant runStartedAt;
    /** Why the daemon's own reconcile is due; taken as a whole when it runs. Guarded by itself. */
    private final EnumSet<Reconcile> reconcileDue = EnumSet.noneOf(Reconcile.class);
    /** Counts kills: an action that began before a kill (a restart) must not start the server again. */
    private volatile long kills;
    private long runs;

    SupervisedServer(String name, String engineName, boolean wantsRunning, ServerDriver driver,
                     ContainerRuntime runtime, SupervisorPolicy policy, Clock clock) {
        this.name = name;
        this.engineName = engineName;
        this.wantsRunning = wantsRunning;
        this.driver = driver;
        this.runtime = runtime;
        this.policy = policy;
        this.clock = clock;
        this.crashes = new CrashPolicy(clock, policy.crashes());
        this.console = new ConsoleHub(1000, policy.consoleLimits());
        this.power = new PowerQueue("power-" + engineName);
    }

    // ---- what the faces read: snapshots, never waiting on an action ----

    public String name() {
        return name;
    }

    public String engineName() {
        return engineName;
    }

    /** The engine container's id, as the face records it (null when it has none). */
    public String engineId() {
        return driver.engineId();
    }

    public PowerState state() {
        return state;
    }

    public boolean wantsRunning() {
        return wantsRunning;
    }

    public ConsoleHub console() {
        return console;
    }

    /** The last stats sample of the running process; null when it is not running. */
    public StatsSample stats() {
        return state.up() ? stats : null;
    }

    public Instant startedAt() {
        return state.up() ? startedAt : null;
    }

    /** The engine's health check: healthy, unhealthy, starting or none. */
    public String health() {
        return health;
    }

    /** Paused from outside (docker pause): the daemon itself never pauses. */
    public boolean paused() {
        return paused && state.up();
    }

    /** Whether the console of the current run is attached (its lines reach the hub). */
    public boolean followed() {
        return run != null;
    }

    // ---- actions ----

    /** Queues a power action under the power lock; see {@link PowerQueue} for busy requests. */
    public CompletableFuture<Void> submit(String kind, Action action) {
        return power.submit(kind, () -> action.run(new Power()));
    }

    /**
     * SIGKILL at once, bypassing the power lock (a server that ignores its stop must not keep
     * running for the stop timeout); a waiting request is dropped, and the running action sees the
     * kill (a restart it interrupts does not start the server again).
     */
    public void kill() {
        power.dropPending("a kill");
        String id;
        synchronized (monitor) {
            kills++; // also between a restart's stop and start: the restart then leaves it down
            setWantsRunning(false);
            id = engineId();
            if (!state.up() || id == null) {
                return;
            }
            exitExpected = true;
        }
        try {
            runtime.kill(id, "SIGKILL");
        } catch (ContainerNotFoundException gone) {
            engineExited(); // nothing left to kill: record it now
        }
    }

    /** Writes to the process's stdin; false when it is not running or no console is attached. */
    public boolean writeStdin(String text) {
        Run r = run;
        if (r == null || !state.up()) {
            return false;
        }
        r.attachment().write(text);
        return true;
    }

    /**
     * Ends supervision for good (the face deletes the server): later requests are refused, the
     * running action is given a moment, the process is killed and the streams closed. The engine
     * container itself is the face's to remove.
     */
    public void close(String reason) {
        try {
            if (!power.close(reason, policy.killWait().toMillis())) {
                kill();
                power.close(reason, policy.killWait().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (monitor) {
            exitExpected = true;
            detach();
            if (state.up()) {
                setState(PowerState.OFFLINE);
            }
        }
        console.closeAll(reason);
    }

    /** The handle an action drives the server with; only actions under the power lock get one. */
    public final class Power {

        private final long killsAtStart = kills;

        /** Starts the process (a no-op when it runs); a refusal or failure is thrown. */
        public void start() {
            SupervisedServer.this.start();
        }

        /** Stops it: the face's stop strategy, SIGKILL when that gives up; waits until it is down. */
        public void stop() {
            SupervisedServer.this.stop(false);
        }

        /**
         * Stops and starts it again, still wanted running throughout (an outage in between leaves it
         * to be resumed); {@code between} runs while it is down. A kill meanwhile leaves it down.
         */
        public void restart(Runnable between) {
            SupervisedServer.this.stop(true);
            between.run();
            if (!killedMeanwhile()) {
                SupervisedServer.this.start();
            }
        }

        /** Whether a kill came since this action began: a restart it cut short stays down. */
        public boolean killedMeanwhile() {
            return kills != killsAtStart;
        }

    }

    private void start() {
        if (state.up()) {
            synchronized (monitor) {
                setWantsRunning(true);
            }
            return;
        }
        driver.checkStart();
        long runId;
        String id;
        synchronized (monitor) {
            setWantsRunning(true);
            exitExpected = false;
            signalledFromOutsideAt = null;
            setState(PowerState.STARTING);
            detach();
            runId = ++runs;
            // The console is attached before the start, so a line printed at once (a start pattern) is
            // caught. The attach to the container the face records runs while the inspect does: it is
            // the one started unless prepare makes a new one, which is then attached afresh.
            String recorded = engineId();
            CompletableFuture<Attachment> early = recorded == null ? null : CompletableFuture.supplyAsync(
                    () -> runtime.attach(recorded, line -> onLine(runId, line), () -> { }),
                    task -> Thread.ofVirtual().name("attach-" + engineName).start(task));
            try {
                Optional<ContainerState> existing = inspectEngine();
                id = driver.prepare(existing);
                Attachment attachment;
                if (id.equals(recorded)) {
                    attachment = early.join();
                } else {
                    closeWhenAttached(early);
                    attachment = runtime.attach(id, line -> onLine(runId, line), () -> { });
                }
                run = withStats(runId, id, attachment);
                boolean sameContainer = existing.map(s -> s.id().equals(id)).orElse(false);
                if (sameContainer && "paused".equals(existing.get().status())) {
                    runtime.unpause(id); // paused from outside: the engine cannot start it
                } else {
                    ownStartPending.set(true);
                    runtime.start(id);
                }
                startedAt = clock.instant();
                paused = false;
            } catch (RuntimeException e) {
                RuntimeException cause = e instanceof CompletionException && e.getCause() instanceof RuntimeException r
                        ? r : e; // the early attach's own failure
                closeWhenAttached(early); // unused, or its run closed below: closing twice does nothing
                ownStartPending.set(false);
                detach();
                setState(PowerState.OFFLINE);
                driver.notice(new Notice.StartFailed(cause));
                throw cause;
            }
            // in the monitor: an exit of this run (recorded under it) always comes after, so clearing
            // the last problem on start can never erase the one this run's crash reports
            driver.notice(new Notice.Started());
        }
        // Out of the monitor: a start line that came during the start marks the run running meanwhile,
        // instead of waiting for this inspect.
        recordStart(runId, id);
        awaitReadiness(runId);
    }

    /** The engine's start time and health of the run just started; events from before it are an older run's. */
    private void recordStart(long runId, String id) {
        Optional<ContainerState> started;
        try {
            started = runtime.inspect(id);
        } catch (RuntimeException e) {
            // the engine went away right after the start: the watch's outage handling takes over
            log.debug("event=start_inspect_failed server={} error=\"{}\"", name, e.getMessage());
            return;
        }
        synchronized (monitor) {
            Run r = run;
            if (r != null && r.id() == runId) {
                started.ifPresent(st -> {
                    health = st.health(); // "starting" until its first check
                    runStartedAt = st.startedAt();
                });
            }
        }
    }

    /** An early attach that is not used, or whose run ended, is closed once it is there. */
    private static void closeWhenAttached(CompletableFuture<Attachment> early) {
        if (early != null) {
            early.thenAccept(Attachment::close);
        }
    }

    private void awaitReadiness(long runId) {
        switch (driver.readiness()) {
            case Readiness.Immediate i -> ready(runId);
            case Readiness.ConsoleLine c -> { } // the console watches for it: onLine
            case Readiness.Probe p -> Thread.ofVirtual().name("ready-" + engineName).start(() -> {
                while (isStarting(runId)) {
                    try {
                        if (p.ready().getAsBoolean()) {
                            ready(runId);
                            return;
                        }
                        Thread.sleep(policy.probeEvery());
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        log.debug("event=readiness_probe_failed server={} error=\"{}\"", name, e.getMessage());
                    }
                }
            });
        }
    }

    private boolean isStarting(long runId) {
        Run r = run;
        return r != null && r.id() == runId && state == PowerState.STARTING;
    }

    private void ready(long runId) {
        synchronized (monitor) {
            if (isStarting(runId)) {
                setState(PowerState.RUNNING);
            }
        }
    }

    private void stop(boolean restarting) {
        String id;
        Run r;
        synchronized (monitor) {
            if (!restarting) {
                setWantsRunning(false);
            }
            id = engineId();
            r = run;
            if (!state.up() || id == null) {
                return;
            }
            exitExpected = true;
            setState(PowerState.STOPPING);
        }
        try {
            if (paused) {
                runtime.unpause(id); // a frozen process can neither save nor exit
            }
            if (!driver.stopStrategy().stop(new StopTarget(name, id, r, runtime))) {
                runtime.kill(id, "SIGKILL");
                runtime.awaitStopped(id, policy.killWait());
            }
        } catch (ContainerNotFoundException gone) {
            // removed from outside meanwhile: stopped all the same
        }
        exited(r, Optional.empty(), false);
    }

    /**
     * The engine says the container died (its event stream, or an inspect after an outage). A die
     * of an earlier run of the same container (a restart) finds it running again and is ignored.
     */
    void engineExited() {
        engineExited(null);
    }

    private void engineExited(Instant dieAt) {
        synchronized (monitor) {
            Run r = run;
            String id = engineId();
            if (!state.up() || r == null || id == null) {
                return;
            }
            Optional<ContainerState> now = runtime.inspect(id);
            if (now.isPresent() && now.get().running()) {
                return; // an older run's exit; this run goes on
            }
            Instant outside = signalledFromOutsideAt;
            boolean fromOutside = outside != null && Duration.between(outside, dieAt == null ? outside : dieAt)
                    .compareTo(policy.outsideStopWindow()) <= 0;
            exited(r, Optional.of(now.map(ContainerState::exitCode).orElse(-1)), fromOutside);
        }
    }

    /** Records the end of run r (when it is still the current one) and decides what follows. */
    private void exited(Run r, Optional<Integer> exitCode, boolean signalledFromOutside) {
        boolean expected;
        synchronized (monitor) {
            if (run != r || !state.up()) {
                return; // already recorded (the die event and the stop both see it)
            }
            detach();
            setState(PowerState.OFFLINE);
            expected = exitExpected || exitCode.isEmpty();
            if (expected) {
                driver.notice(new Notice.Stopped());
                return;
            }
        }
        int code = exitCode.get();
        if (signalledFromOutside) {
            driver.notice(new Notice.StoppedFromOutside(code));
            return; // still wanted: the next reconcile (engine back, daemon start) brings it back
        }
        if (code == 0 && !driver.crashOnCleanExit()) {
            synchronized (monitor) {
                setWantsRunning(false);
            }
            driver.notice(new Notice.CleanExit());
            return;
        }
        driver.notice(new Notice.Crashed(code));
        if (!driver.restartOnCrash()) {
            return; // still wanted: the next reconcile (daemon start, engine back) starts it
        }
        Optional<Duration> delay = crashes.onCrash();
        if (delay.isEmpty()) {
            synchronized (monitor) {
                setWantsRunning(false);
            }
            driver.notice(new Notice.CrashLoop(code, policy.crashes().maxCrashes(), policy.crashes().window()));
            return;
        }
        driver.notice(new Notice.RestartScheduled(code, delay.get()));
        Thread.ofVirtual().name("crash-restart-" + engineName).start(() -> {
            try {
                Thread.sleep(delay.get());
            } catch (InterruptedException e) {
                return;
            }
            reconcileLater(Reconcile.CRASH_RESTART);
        });
    }

    /** The engine went away: whatever ran in it is not followed any more; the reconcile after it decides. */
    void engineLost() {
        synchronized (monitor) {
            if (run != null || state.up()) {
                detach();
                setState(PowerState.OFFLINE);
            }
        }
    }

    /** Why the daemon brings a server and its engine container into line by itself. */
    enum Reconcile {
        /** The daemon started: follow what runs, start what should run. */
        BOOT,
        /** The engine is back after an outage: likewise; an exit meanwhile was the outage's, not a crash. */
        ENGINE_BACK,
        /** The backoff after a crash is over: start it again if it is still down and wanted. */
        CRASH_RESTART,
        /** The engine started the container (an operator's docker start/restart): follow the new process. */
        STARTED_OUTSIDE
    }

    /**
     * Queues the daemon's own reconcile under the power lock, before any client request waiting
     * there; reasons that come while one waits are taken in by it.
     */
    CompletableFuture<Void> reconcileLater(Reconcile why) {
        synchronized (reconcileDue) {
            reconcileDue.add(why);
        }
        return power.housekeeping("reconcile", this::reconcileDue).exceptionally(e -> {
            log.warn("event=reconcile_failed server={} reason={} error=\"{}\"", name, why, rootMessage(e));
            return null;
        });
    }

    private void reconcileDue() {
        EnumSet<Reconcile> why;
        synchronized (reconcileDue) {
            why = EnumSet.copyOf(reconcileDue);
            reconcileDue.clear();
        }
        if (why.contains(Reconcile.BOOT) || why.contains(Reconcile.ENGINE_BACK)) {
            reconcile(why.contains(Reconcile.BOOT));
            return;
        }
        if (why.contains(Reconcile.STARTED_OUTSIDE)) {
            inspectEngine().filter(ContainerState::running).ifPresent(s -> {
                synchronized (monitor) {
                    if (run == null || !s.startedAt().equals(runStartedAt)) {
                        adopt(s); // a process this daemon did not start: its console is a new stream
                    }
                }
            });
        }
        if (why.contains(Reconcile.CRASH_RESTART) && !state.up() && wantsRunning) {
            start();
        }
    }

    /**
     * Brings this server and its engine container into line (daemon start, engine back): a running
     * container is followed again; one that should run and does not is started. An exit that
     * happened meanwhile was the outage's doing, never a crash.
     */
    private void reconcile(boolean boot) {
        Optional<ContainerState> current = inspectEngine();
        driver.inspected(current);
        synchronized (monitor) {
            current.ifPresent(s -> health = s.health());
            if (current.isPresent() && current.get().running()) {
                if (run == null || !current.get().startedAt().equals(runStartedAt)) {
                    adopt(current.get());
                }
                return;
            }
            if (run != null || state.up()) {
                detach();
                setState(PowerState.OFFLINE);
            }
            if (current.isEmpty()) {
                health = "none";
            }
        }
        if (wantsRunning) {
            start();
            driver.notice(new Notice.Resumed(boot));
        }
    }

    private Optional<ContainerState> inspectEngine() {
        String id = engineId();
        return id == null ? Optional.empty() : runtime.inspect(id);
    }

    private void adopt(ContainerState s) {
        for (String line : runtime.tail(s.id(), ADOPT_TAIL_LINES)) {
            console.console(line);
        }
        exitExpected = false;
        signalledFromOutsideAt = null;
        follow(s.id());
        startedAt = s.startedAt();
        runStartedAt = s.startedAt();
        paused = "paused".equals(s.status());
        setState(PowerState.RUNNING);
        driver.notice(new Notice.Adopted());
    }

    /**
     * An event of this server's container. An event from before the current run's start belongs to
     * an older run (the event stream lags behind the API) and says nothing about this one.
     */
    void engineEvent(EngineEvent e) {
        String action = e.action();
        Instant startedAt = runStartedAt;
        boolean ofThisRun = startedAt == null || e.time() == null || !e.time().isBefore(startedAt);
        switch (action) {
            case "die" -> {
                ownStartPending.set(false); // a start whose event never came cannot hide a later outside one
                engineExited(e.time());
            }
            case "kill" -> {
                // the engine's stop sends kill before die; a signal we did not send is an outside stop
                if (ofThisRun && !exitExpected && state.up() && e.endingSignal()) {
                    signalledFromOutsideAt = e.time() == null ? Instant.now() : e.time();
                }
            }
            case "start" -> {
                // the daemon's own start needs nothing; any other may be a run it does not follow
                if (!ownStartPending.getAndSet(false) && ofThisRun) {
                    reconcileLater(Reconcile.STARTED_OUTSIDE);
                }
            }
            case "pause" -> paused = true;
            case "unpause" -> paused = false;
            default -> {
                if (action.startsWith("health_status:")) {
                    health = action.substring("health_status:".length()).trim();
                }
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t != t.getCause()) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    // ---- inside the monitor ----

    private void follow(String id) {
        detach();
        long runId = ++runs;
        Attachment attachment = runtime.attach(id, line -> onLine(runId, line), () -> { });
        run = withStats(runId, id, attachment);
    }

    /** The run with its stats stream opened; the attachment is closed when that fails. */
    private Run withStats(long runId, String id, Attachment attachment) {
        Closeable statsStream;
        try {
            statsStream = runtime.stats(id, sample -> onStats(runId, sample));
        } catch (RuntimeException e) {
            attachment.close();
            throw e;
        }
        return new Run(runId, id, attachment, statsStream);
    }

    private void detach() {
        Run r = run;
        if (r != null) {
            run = null;
            r.close();
        }
        stats = null;
    }

    private void onLine(long runId, String line) {
        Run r = run;
        if (r == null || r.id() != runId) {
            return; // a stream of an older run
        }
        console.console(line);
        driver.line(line);
        if (state == PowerState.STARTING && driver.readiness() instanceof Readiness.ConsoleLine c
                && c.pattern().matcher(line).find()) {
            ready(runId);
        }
    }

    private void onStats(long runId, StatsSample sample) {
        Run r = run;
        long now = System.nanoTime();
        long interval = policy.statsInterval().toNanos();
        // the engine samples about once a second, with jitter: a quarter of the interval of slack
        if (r == null || r.id() != runId || now - statsAt < interval - Math.min(interval / 4, 250_000_000L)) {
            return;
        }
        statsAt = now;
        stats = sample;
        console.publish(ConsoleEvent.stats(sample.fields()));
    }

    private void setState(PowerState next) {
        state = next;
        log.info("event=server_state server={} state={}", name, next.wire());
        console.publish(ConsoleEvent.state(next.event()));
        driver.notice(new Notice.StateChanged(next));
    }

    private void setWantsRunning(boolean wanted) {
        if (wantsRunning != wanted) {
            driver.saveWantsRunning(wanted);
            wantsRunning = wanted;
        }
    }

    @Override
    public String toString() {
        return "SupervisedServer[" + name + " " + state + "]";
    }
}
