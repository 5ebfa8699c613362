package dev.lightd.container;

import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.EngineUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps an eye on the engine: while its event stream is open the engine is up; when the stream
 * breaks, it polls until the engine answers again and then reconciles every container, so the
 * daemon recovers without a restart (consoles re-attach, stats resume).
 */
public final class EngineWatch implements AutoCloseable {

    /** What brings its records and the engine into line, once at boot and after every outage. */
    public interface Reconciler {
        void reconcile(boolean boot);
    }

    private static final Logger log = LoggerFactory.getLogger(EngineWatch.class);

    private final ContainerRuntime runtime;
    private final List<Reconciler> reconcilers;
    private final Semaphore broken = new Semaphore(0);
    private final Thread thread;
    private volatile boolean up;
    private volatile boolean closed;
    private Closeable events;

    public EngineWatch(ContainerRuntime runtime, List<Reconciler> reconcilers) {
        this.runtime = runtime;
        this.reconcilers = List.copyOf(reconcilers);
        this.thread = Thread.ofVirtual().name("engine-watch").unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    public boolean isUp() {
        return up;
    }

    private void run() {
        boolean boot = true;
        while (!closed) {
            try {
                runtime.ping();
                for (Reconciler r : reconcilers) {
                    r.reconcile(boot);
                }
                boot = false;
                events = runtime.events(ContainerContext.LABEL, e -> { }, broken::release);
                up = true;
                log.info("event=engine_up");
                broken.acquire();
                up = false;
                closeEvents();
                if (!closed) {
                    log.warn("event=engine_down");
                }
            } catch (EngineUnavailableException e) {
                up = false;
                sleep();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("event=engine_watch_error error=\"{}\"", e.getMessage());
                sleep();
            }
        }
    }

    private void sleep() {
        try {
            broken.tryAcquire(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeEvents() {
        if (events != null) {
            try {
                events.close();
            } catch (IOException ignored) {
                // already broken
            }
            events = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        closeEvents();
    }
}
