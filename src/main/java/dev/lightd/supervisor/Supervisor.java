package dev.lightd.supervisor;

import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.EngineEvent;
import dev.lightd.runtime.EngineLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every supervised server of both faces, by engine container name, and the one engine watch: die,
 * pause and health events go to their server; an outage ends every run; the engine's return
 * reconciles each server under its own power lock.
 */
public final class Supervisor implements EngineWatch.Listener, AutoCloseable {

    /** A face's own step when the engine is up, before its servers are reconciled. */
    @FunctionalInterface
    public interface EngineUpStep {
        void engineUp(boolean boot);
    }

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    private final ContainerRuntime runtime;
    private final SupervisorPolicy policy;
    private final Clock clock;
    private final Map<String, SupervisedServer> servers = new ConcurrentHashMap<>();
    private final List<EngineUpStep> engineUpSteps = new CopyOnWriteArrayList<>();
    private final EngineWatch watch;

    public Supervisor(ContainerRuntime runtime, SupervisorPolicy policy, Clock clock) {
        this.runtime = runtime;
        this.policy = policy;
        this.clock = clock;
        this.watch = new EngineWatch(runtime, this, Duration.ofSeconds(1));
    }

    /** Starts watching the engine; the first "up" reconciles every server registered by then. */
    public void start() {
        watch.start();
    }

    /** Takes a server under supervision; wantsRunning is what the face's store says. */
    public SupervisedServer supervise(String name, String engineName, boolean wantsRunning, ServerDriver driver) {
        SupervisedServer s = new SupervisedServer(name, engineName, wantsRunning, driver, runtime, policy, clock);
        if (servers.putIfAbsent(engineName, s) != null) {
            throw new IllegalStateException("already supervised: " + engineName);
        }
        return s;
    }

    /** Ends a server's supervision (its face deletes it): see {@link SupervisedServer#close}. */
    public void release(SupervisedServer s, String reason) {
        s.close(reason);
        servers.remove(s.engineName(), s);
    }

    public void onEngineUp(EngineUpStep step) {
        engineUpSteps.add(step);
    }

    @Override
    public void engineUp(boolean boot) {
        runtime.ensureNetwork(EngineLabels.NETWORK);
        for (EngineUpStep step : engineUpSteps) {
            try {
                step.engineUp(boot);
            } catch (RuntimeException e) {
                log.warn("event=engine_up_step_failed error=\"{}\"", e.getMessage());
            }
        }
        for (SupervisedServer s : servers.values()) {
            s.reconcileLater(boot ? SupervisedServer.Reconcile.BOOT : SupervisedServer.Reconcile.ENGINE_BACK);
        }
    }

    @Override
    public void engineDown() {
        for (SupervisedServer s : servers.values()) {
            try {
                s.engineLost();
            } catch (RuntimeException e) {
                log.warn("event=engine_lost_step_failed server={} error=\"{}\"", s.name(), e.getMessage());
            }
        }
    }

    @Override
    public void event(EngineEvent e) {
        SupervisedServer s = e.name() == null ? null : servers.get(e.name());
        if (s == null || e.action() == null) {
            return;
        }
        if ("die".equals(e.action())) {
            // the exit is checked with an inspect: not on the event stream's own thread
            Thread.ofVirtual().name("exit-" + s.engineName()).start(() -> {
                try {
                    s.engineEvent(e);
                } catch (RuntimeException ex) {
                    log.warn("event=exit_check_failed server={} error=\"{}\"", s.name(), ex.getMessage());
                }
            });
        } else {
            s.engineEvent(e);
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
