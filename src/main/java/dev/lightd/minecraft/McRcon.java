package dev.lightd.minecraft;

import dev.lightd.ServiceException;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Each server's one RCON connection, opened when first needed and dropped when it fails. */
final class McRcon {

    private final Map<String, RconClient> clients = new HashMap<>();

    /** The server's connection, opened now if there is none. */
    synchronized RconClient client(McServer s) throws IOException {
        RconClient c = clients.get(s.name());
        if (c == null) {
            c = RconClient.connect("127.0.0.1", s.row().rconPort(), s.row().rconPassword(), Duration.ofSeconds(5));
            clients.put(s.name(), c);
        }
        return c;
    }

    synchronized void close(McServer s) {
        RconClient c = clients.remove(s.name());
        if (c != null) {
            c.close();
        }
    }

    /**
     * Runs a command. A server that was just started opens RCON only when it is ready: until then
     * (at most {@code wait}) we retry, which also covers reconnecting after a restart.
     */
    String exec(McServer s, String command, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return client(s).command(command);
            } catch (RconClient.RconException e) {
                close(s);
                throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "RCON of server '" + s.name() + "' refused: "
                        + e.getMessage(), e);
            } catch (IOException e) {
                close(s);
                if (!s.running() || System.nanoTime() > deadline) {
                    throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "RCON of server '" + s.name()
                            + "' is not answering (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "interrupted", ie);
                }
            }
        }
    }
}
