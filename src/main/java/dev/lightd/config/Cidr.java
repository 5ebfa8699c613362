package dev.lightd.config;

import java.net.InetAddress;
import java.util.Arrays;

/** An address or a CIDR block (IPv4 dotted-quad or IPv6), for whitelists and trusted proxies. */
public record Cidr(byte[] network, int prefix) {

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Cidr parse(String text) {
        String[] parts = text.split("/", 2);
        String literal = parts[0].trim();
        // InetAddress takes "10" or "10.1" as shortened IPv4 (0.0.0.10, 10.0.0.1): "10/8" would cover the wrong range
        if (!literal.contains(":") && literal.split("\\.", -1).length != 4) {
            throw new IllegalArgumentException("not a dotted-quad IPv4 address: " + text);
        }
        byte[] addr = InetAddress.ofLiteral(literal).getAddress();
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : addr.length * 8;
        if (prefix < 0 || prefix > addr.length * 8) {
            throw new IllegalArgumentException("bad prefix: " + text);
        }
        return new Cidr(addr, prefix);
    }

    public boolean contains(String address) {
        byte[] a;
        try {
            a = InetAddress.ofLiteral(address).getAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        return rest == 0 || ((a[full] ^ network[full]) & (0xff << (8 - rest)) & 0xff) == 0;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
    }
}
