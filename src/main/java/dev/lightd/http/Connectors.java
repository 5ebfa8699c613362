package dev.lightd.http;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
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
        ServerConnector connector = new ServerConnector(server, new NoHeaderCache(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptedSendBufferSize(SEND_BUFFER);
        connector.setAcceptedTcpNoDelay(true);
        return connector;
    }

    /**
     * Jetty's parser keeps the header lines a keep-alive connection sent (Authorization, Cookie,
     * Accept...) and matches later lines against them ignoring case, handing the request the
     * cached line: after {@code Authorization: Bearer <token>}, a {@code bearer <TOKEN>} on the same
     * connection reached the auth check as the real token and was let in. Without the cache every
     * request is judged on the bytes it sent.
     */
    static final class NoHeaderCache extends HttpConnectionFactory {
        NoHeaderCache(HttpConfiguration http) {
            super(http);
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            Connection connection = super.newConnection(connector, endPoint);
            if (connection instanceof HttpConnection http) {
                http.getParser().setHeaderCacheSize(0);
            }
            return connection;
        }
    }
}
