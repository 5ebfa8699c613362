package dev.lightd.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The listening socket of a face. */
public final class Connectors {

    /**
     * Kernel send buffer per accepted connection. Bounded so that a client that stops reading
     * blocks its console writer (and is dropped when its queue fills) after ~256 KiB instead of
     * parking megabytes in the kernel; plenty for loopback and LAN throughput.
     */
    static final int SEND_BUFFER = 128 * 1024;

    private Connectors() {}

    public static ServerConnector bounded(Server server, HttpConfiguration http, String host, int port) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptedSendBufferSize(SEND_BUFFER);
        connector.setAcceptedTcpNoDelay(true);
        return connector;
    }
}
