package dev.lightd.network;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Asks the host whether a port can be bound right now, by binding it and letting go at once. */
public final class PortProbe {

    private PortProbe() {}

    public static boolean canBind(String ip, int port, String protocol) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.ofLiteral(ip), port);
        try {
            if (protocol.equals("udp")) {
                try (DatagramSocket socket = new DatagramSocket(null)) {
                    socket.bind(address);
                }
            } else {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.bind(address);
                }
            }
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
