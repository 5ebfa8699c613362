package dev.lightd.supervisor;

import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.EngineEvent;
import dev.lightd.runtime.EngineUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps an eye on the engine: while its event stream is open the engine is up and its container
 * events go to the listener; when the stream breaks, it polls until the engine answers again and
 * tells the listener, which reconciles, so the daemon recovers without a restart.
 */
public final class EngineWatch implements AutoCloseable {

    /** What is told of the engine: up (once at boot, then after every outage), down, and events. */
    public interface Listener {
        void engineUp(boolean boot);

        void engineDown();

        void event(EngineEvent event);
    }

    private static final Logger log = LoggerFactory.getLogger(EngineWatch.class);

    private final ContainerRuntime runtime;
    private final Listener listener;
    private final Duration retryEvery;
    private final Semaphore broken = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;
    private Closeable events;

    public EngineWatch(ContainerRuntime runtime, Listener listener, Duration retryEvery) {
        this.runtime = runtime;
        this.listener = listener;
        this.retryEvery = retryEvery;
        this.thread = Thread.ofVirtual().name("engine-watch").unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        boolean boot = true;
        while (!closed) {
            try {
                runtime.ping();
                broken.drainPermits();
                // subscribe before reconciling: an exit during the reconcile is not missed
                events = runtime.events(listener::event, broken::release);
                log.info("event=engine_up");
                listener.engineUp(boot);
                boot = false;
                broken.acquire();
                closeEvents();
                if (!closed) {
                    log.warn("event=engine_down");
                    listener.engineDown();
                }
            } catch (EngineUnavailableException e) {
                closeEvents();
                sleep();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("event=engine_watch_error error=\"{}\"", e.getMessage());
                closeEvents();
                sleep();
            }
        }
    }

    private void sleep() {
        try {
            broken.tryAcquire(retryEvery.toMillis(), TimeUnit.MILLISECONDS);
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
