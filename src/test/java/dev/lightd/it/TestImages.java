package dev.lightd.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The small images the container tests run, built from files on this machine (no registry here). */
public final class TestImages {

    public static final String BUSYBOX = "lightd-test/busybox:1";
    public static final String BASH = "lightd-test/bash:1";
    private static boolean built;

    private TestImages() {}

    /** Builds them once per JVM; the script itself skips images whose inputs did not change. */
    public static synchronized void ensureBuilt() {
        if (built) {
            return;
        }
        try {
            Process p = new ProcessBuilder("bash", Path.of("src/test/images/build-base-images.sh").toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("building the test images failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the image build (is Docker installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        built = true;
    }
}
