package dev.lightd.minecraft;

import dev.lightd.ServiceException;

import java.util.regex.Pattern;

/** Server and world names: lower-case letters, digits, '-' and '_', at most 32; "mc-<name>" is accepted for servers. */
public final class McNames {

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");

    private McNames() {}

    public static String server(String name) {
        String n = name != null && name.startsWith("mc-") && name.length() > 3 ? name.substring(3) : name;
        return valid(n, "server");
    }

    public static String world(String name) {
        return valid(name, "world");
    }

    public static String container(String server) {
        return "mc-" + server;
    }

    private static String valid(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ServiceException.badRequest("Invalid " + what + " name '" + name
                    + "': use 1-32 lower-case letters, digits, '-' or '_'");
        }
        return name;
    }
}
