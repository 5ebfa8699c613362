package dev.lightd.minecraft;

import java.util.Locale;

/** The human-readable numbers of the mcctl face: "1.2 GB", "2d 5h 30m", "2.1GB / 4GB", "15.2%". */
public final class HumanFormat {

    private HumanFormat() {}

    /** Decimal units with a space, as mcctl-api prints world sizes. */
    public static String size(long bytes) {
        return scaled(bytes, 1000, " ");
    }

    /** Memory without a space and in binary steps, as "2.1GB / 4GB". */
    public static String memory(long bytes) {
        return scaled(bytes, 1024, "");
    }

    private static String scaled(long bytes, int step, String space) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= step && u < units.length - 1) {
            v /= step;
            u++;
        }
        return trim(v) + space + units[u];
    }

    public static String uptime(long seconds) {
        long d = seconds / 86400;
        long h = seconds % 86400 / 3600;
        long m = seconds % 3600 / 60;
        if (d > 0) {
            return d + "d " + h + "h " + m + "m";
        }
        if (h > 0) {
            return h + "h " + m + "m";
        }
        return m + "m";
    }

    public static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
