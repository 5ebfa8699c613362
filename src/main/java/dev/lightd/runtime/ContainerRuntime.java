package dev.lightd.runtime;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.io.Closeable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a container engine does for Lightd. Nothing above this package names Docker; another engine
 * would be a second implementation. Every method may throw {@link EngineUnavailableException}.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Throws EngineUnavailableException when the engine does not answer. */
    void ping();

    boolean imageExists(String image);

    void ensureNetwork(String name);

    /**
     * Creates (does not start) a container labelled as this daemon's; returns the engine's id.
     * A name already in use by a container this daemon does not own: {@link ContainerNameTakenException}.
     */
    String create(ContainerSpec spec);

    void start(String id);

    /**
     * Attaches to the container's stdin/stdout/stderr; output arrives line by line, in order. Attach
     * before start to miss nothing. {@code onEnd} runs when the stream ends (the process exited).
     */
    Attachment attach(String id, Consumer<String> lines, Runnable onEnd);

    /** A sample about once a second until closed or the container stops. */
    Closeable stats(String id, Consumer<StatsSample> samples);

    void kill(String id, String signal);

    /** SIGTERM, then SIGKILL after the timeout. */
    void stop(String id, int timeoutSeconds);

    /** Resumes a paused container (paused from outside: the daemon never pauses); not paused is fine. */
    void unpause(String id);

    /**
     * Removes the container, stopping it first; a missing container is not an error, and one this
     * daemon does not own (not labelled with its node id) is left alone.
     */
    void remove(String idOrName);

    Optional<ContainerState> inspect(String idOrName);

    /**
     * Completes with the exit code when the container stops. nextExit waits for the next exit (to
     * register before a start); otherwise a container that is not running completes at once.
     */
    CompletableFuture<Integer> waitForExit(String id, boolean nextExit);

    /**
     * Waits until the container is down, at most the timeout: true when it is (or is gone), false
     * on timeout or interruption.
     */
    default boolean awaitStopped(String id, Duration timeout) {
        try {
            waitForExit(id, false).get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException gone) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines the container printed, oldest first. */
    List<String> tail(String id, int lines);

    /** Engine events of this daemon's containers, until closed; {@code onEnd} when the stream breaks. */
    Closeable events(Consumer<EngineEvent> events, Runnable onEnd);

    @Override
    void close();
}
