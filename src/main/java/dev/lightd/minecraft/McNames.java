package dev.lightd.minecraft;

import dev.lightd.ServiceException;

import java.util.regex.Pattern;

/**
 * Server and world names: lower-case ASCII letters, digits, '-' and '_', at most 32; "mc-<name>" is
 * accepted for servers. A name becomes the container name mc-NAME, the label lightd.mcctl, the
 * LEVEL variable and a folder under the worlds folder, so nothing else ever gets through.
 */
public final class McNames {

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");
    private static final int SHOWN = 40;

    private McNames() {}

    public static String server(String name) {
        return server(name, null);
    }

    /** As {@link #server(String)}; a refusal names the request field the name came in. */
    public static String server(String name, String field) {
        String n = name != null && name.startsWith("mc-") && name.length() > 3 ? name.substring(3) : name;
        return valid(n, name, "server", field);
    }

    public static String world(String name) {
        return world(name, null);
    }

    /** As {@link #world(String)}; a refusal names the request field the name came in. */
    public static String world(String name, String field) {
        return valid(name, name, "world", field);
    }

    public static String container(String server) {
        return "mc-" + server;
    }

    private static String valid(String name, String sent, String what, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ServiceException.badRequest("Invalid " + what + " name " + shown(sent)
                    + (field == null ? "" : " (field '" + field + "')")
                    + ": use 1-32 lower-case letters, digits, '-' or '_'");
        }
        return name;
    }

    /**
     * A refused value as a message shows it: quoted, control characters as \\uXXXX (a log line or
     * terminal never gets a raw newline or escape from a client), cut after 40 characters.
     */
    static String shown(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        int n = Math.min(value.length(), SHOWN);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > SHOWN) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
