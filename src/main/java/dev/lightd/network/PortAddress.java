package dev.lightd.network;

import dev.lightd.ServiceException;

import java.net.InetAddress;
import java.util.Locale;

/** Validation of the parts of a pool entry: address literal, number and protocol. */
public final class PortAddress {

    private PortAddress() {}

    /** Accepts IPv4 and IPv6 literals only; never resolves a host name. */
    public static String ip(String ip) {
        if (ip == null || ip.isEmpty() || ip.length() > 45) {
            throw ServiceException.badRequest("Invalid ip: expected an IPv4 or IPv6 address");
        }
        try {
            InetAddress.ofLiteral(ip);
        } catch (IllegalArgumentException e) {
            throw ServiceException.badRequest("Invalid ip: expected an IPv4 or IPv6 address");
        }
        return ip;
    }

    public static int port(long port) {
        if (port < 1 || port > 65535) {
            throw ServiceException.badRequest("Invalid port: must be between 1 and 65535");
        }
        return (int) port;
    }

    /** The port segment of a route, e.g. /network/ports/0.0.0.0/25565. */
    public static int port(String text) {
        if (text == null || !text.matches("[0-9]{1,5}")) {
            throw ServiceException.badRequest("Invalid port: must be between 1 and 65535");
        }
        return port(Long.parseLong(text));
    }

    public static String protocol(String protocol) {
        String p = protocol == null ? "" : protocol.toLowerCase(Locale.ROOT);
        if (!p.equals("tcp") && !p.equals("udp")) {
            throw ServiceException.badRequest("Invalid protocol: must be tcp or udp");
        }
        return p;
    }
}
