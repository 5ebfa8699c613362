package dev.lightd.http.mcctl;

import dev.lightd.config.LightdConfig.McctlConfig;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.function.Supplier;

/**
 * The hostname players use for a server: the configured pattern with {name} and {ip} filled in,
 * read from the live config so a reload applies at once.
 */
final class Hostnames {

    private final Supplier<McctlConfig> config;
    private volatile String detectedIp;

    Hostnames(Supplier<McctlConfig> config) {
        this.config = config;
    }

    String of(String name) {
        McctlConfig mc = config.get();
        String ip = mc.hostIp() == null || mc.hostIp().isBlank() ? detectedIp() : mc.hostIp();
        return mc.hostnamePattern().replace("{name}", name).replace("{ip}", ip);
    }

    private String detectedIp() {
        String ip = detectedIp;
        if (ip == null) {
            ip = hostIp();
            detectedIp = ip;
        }
        return ip;
    }

    /** The first non-loopback IPv4 address of the host (not Docker's bridges). */
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
