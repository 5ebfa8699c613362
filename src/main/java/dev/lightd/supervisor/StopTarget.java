package dev.lightd.supervisor;

import dev.lightd.runtime.ContainerRuntime;

import java.time.Duration;

/** What a stop strategy acts on: one server's current engine container and run. */
record StopTarget(String name, String engineId, Run run, ContainerRuntime runtime) implements StopStrategy.Target {

    @Override
    public boolean writeStdin(String text) {
        if (run == null) {
            return false;
        }
        run.attachment().write(text);
        return true;
    }

    @Override
    public void signal(String signal) {
        runtime.kill(engineId, signal);
    }

    @Override
    public void engineStop(Duration timeout) {
        runtime.stop(engineId, (int) Math.max(0, timeout.toSeconds()));
    }

    @Override
    public boolean awaitExit(Duration timeout) {
        return runtime.awaitStopped(engineId, timeout);
    }
}
