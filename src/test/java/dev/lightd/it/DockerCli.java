package dev.lightd.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker command line, for checks independent of the daemon's own engine client. */
final class DockerCli {

    private DockerCli() {}

    /** Runs docker with the arguments; answers "exit:output". */
    static String run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(60, TimeUnit.SECONDS);
            return p.exitValue() + ":" + out;
        } catch (IOException e) {
            throw new IllegalStateException("docker CLI not available", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** docker inspect -f FORMAT NAME, which must succeed. */
    static String inspect(String name, String format) {
        String out = run("inspect", "-f", format, name);
        if (!out.startsWith("0:")) {
            throw new AssertionError("docker inspect " + name + " failed: " + out);
        }
        return out.substring(2);
    }

    static boolean exists(String name) {
        return run("inspect", "-f", "{{.Id}}", name).startsWith("0:");
    }
}
