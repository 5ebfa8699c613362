package dev.lightd.http.mcctl;

import dev.lightd.config.LightdConfig.McctlConfig;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** The hostname players use for a server: the configured pattern with {name} and {ip} filled in. */
final class Hostnames {

    private final String pattern;
    private final String ip;

    Hostnames(McctlConfig config) {
        this.pattern = config.hostnamePattern();
        this.ip = config.hostIp() == null || config.hostIp().isBlank() ? hostIp() : config.hostIp();
    }

    String of(String name) {
        return pattern.replace("{name}", name).replace("{ip}", ip);
    }

    /** The first non-loopback IPv4 address of the host, read once. */
    private static String hostIp() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.getName().startsWith("docker") || nic.getName().startsWith("br-")
                        || nic.getName().startsWith("veth")) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException ignored) {
            // fall through
        }
        return "127.0.0.1";
    }
}
