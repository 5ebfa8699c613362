package dev.lightd.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The docker image of the Minecraft stand-in ({@code fixtures/mc-standin}), which tests use in
 * place of itzg/minecraft-server. {@link #ensureBuilt()} runs the fixture's build script once per
 * JVM; the script itself skips the build when an image of the same sources exists.
 */
public final class McStandinImage {

    /**
     * The tag tests use: one per checkout (its path's hash), since several checkouts with different
     * stand-in sources can share one engine, and a shared tag moved by another checkout's build made
     * tests run the other checkout's stand-in.
     */
    public static final String IMAGE = "lightd-test/mc-standin:1-"
            + Integer.toHexString(buildScript().toAbsolutePath().normalize().toString().hashCode());

    private static boolean built;

    private McStandinImage() {
    }

    /** Builds the image when needed and answers its name; fails with the script's output. */
    public static synchronized String ensureBuilt() {
        if (built) {
            return IMAGE;
        }
        Path script = buildScript();
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
            builder.environment().put("MC_STANDIN_IMAGE", IMAGE);
            Process process = builder.start();
            process.getOutputStream().close();
            // the output is a few lines; read it all, then the exit code
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish within 10 minutes:\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " failed with exit code " + process.exitValue()
                        + ":\n" + output);
            }
            System.out.print(output);
            built = true;
            return IMAGE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building " + IMAGE, e);
        }
    }

    /** fixtures/mc-standin/build.sh, looked up from the working directory upwards. */
    static Path buildScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("fixtures/mc-standin/build.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException("fixtures/mc-standin/build.sh not found above "
                + Path.of("").toAbsolutePath());
    }
}
