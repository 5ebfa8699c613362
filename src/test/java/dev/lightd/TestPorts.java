package dev.lightd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free loopback ports for tests, taken below the kernel's ephemeral range (32768-60999 on Linux).
 * A port from {@code new ServerSocket(0)} is ephemeral: between the moment it is chosen and the
 * moment the daemon binds it, any outgoing connection (a test's HTTP client, the Docker socket's
 * proxy) may be given it as its local port, which failed CI once. Ports handed out here are never
 * reused within one JVM and each is checked free on loopback when chosen.
 */
public final class TestPorts {

    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    private static final AtomicInteger NEXT = new AtomicInteger(
            FIRST + ThreadLocalRandom.current().nextInt((LAST - FIRST) / 2));

    private TestPorts() {}

    /** A port nobody listens on at the moment, not one this JVM handed out before. */
    public static int free() {
        for (int tries = 0; tries < LAST - FIRST; tries++) {
            int port = NEXT.getAndUpdate(p -> p + 1 >= LAST ? FIRST : p + 1);
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            } catch (IOException taken) {
                // someone has it: the next one
            }
        }
        throw new IllegalStateException("no free port between " + FIRST + " and " + LAST);
    }
}
