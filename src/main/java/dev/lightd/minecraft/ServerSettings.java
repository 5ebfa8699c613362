package dev.lightd.minecraft;

import dev.lightd.ServiceException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a new server is made of, checked before anything is created: these values go into the
 * container's environment, so only what the image understands gets through.
 */
public record ServerSettings(String type, String version, String memory, String seed) {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_]{1,32}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    private static final Pattern MEMORY = Pattern.compile("([1-9][0-9]{0,6})([MGmg])");
    private static final int MAX_SEED = 64;
    /**
     * A seed's characters: letters and digits of any script, space and {@code . _ , : ! ? + @ ( ) -};
     * no '$', '{', '}', '=', quotes, backslash, backtick, '%' or control characters, so a seed can
     * never read as a template ({{..}}, ${..}), a second variable or property, or a shell word.
     */
    private static final Pattern SEED = Pattern.compile("[\\p{L}\\p{N} ._,:!?+@()-]{1,64}");

    /** Defaults for what is missing (VANILLA, LATEST, 1G, no seed); a bad value is a 400. */
    public static ServerSettings of(String type, String version, String memory, String seed) {
        // each value is checked as sent, before any case change (Unicode upper-casing can turn one
        // character into ASCII ones)
        if (type != null && !TYPE.matcher(type).matches()) {
            throw ServiceException.badRequest("Invalid type " + McNames.shown(type)
                    + ": use a server type such as VANILLA, PAPER or FABRIC");
        }
        String t = type == null ? "VANILLA" : type.toUpperCase(Locale.ROOT);
        String v = version == null ? "LATEST" : version;
        if (!VERSION.matcher(v).matches()) {
            throw ServiceException.badRequest("Invalid version " + McNames.shown(version)
                    + ": use a version such as 1.21.1 or LATEST");
        }
        if (memory != null && !MEMORY.matcher(memory).matches()) {
            throw ServiceException.badRequest("Invalid memory " + McNames.shown(memory) + ": use"
                    + " megabytes or gigabytes such as 1024M or 4G (at least 256M)");
        }
        String m = memory == null ? "1G" : memory.toUpperCase(Locale.ROOT);
        if (bytes(m) < 256L << 20) {
            throw ServiceException.badRequest("Invalid memory " + McNames.shown(memory) + ": use megabytes or gigabytes such as 1024M or 4G (at least 256M)");
        }
        return new ServerSettings(t, v, m, seed(seed));
    }

    /**
     * A level seed, number or text as Minecraft takes it; blank is none (null). At most 64
     * characters of {@link #SEED}, not starting or ending with a space (server.properties would
     * drop it and the world would get another seed).
     */
    static String seed(String seed) {
        // none: absent, "" or spaces only; a tab or newline is no blank but a refused character
        String s = seed == null || seed.chars().allMatch(c -> c == ' ') ? null : seed;
        if (s != null && (!SEED.matcher(s).matches() || s.startsWith(" ") || s.endsWith(" "))) {
            throw ServiceException.badRequest("Invalid seed " + McNames.shown(s) + ": at most " + MAX_SEED
                    + " letters, digits, spaces and . _ , : ! ? + @ ( ) - (no control characters, no '$', '{', '}',"
                    + " '=', quotes or backslash; no leading or trailing space)");
        }
        return s;
    }

    /** The heap the image is told to use (MEMORY), in bytes. */
    static long bytes(String memory) {
        Matcher m = MEMORY.matcher(memory.toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return 0;
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("G") ? n << 30 : n << 20;
    }

    /**
     * The container's memory cap: the heap (the image sets -Xms and -Xmx to MEMORY) plus the JVM's
     * own memory (metaspace, code cache, thread stacks, direct buffers), which for a Minecraft server
     * is some hundreds of MB whatever the heap: a quarter of the heap, at least 512 MiB. Too tight a
     * cap would have the kernel kill a server for using the heap it was given.
     */
    static long containerLimit(String memory) {
        long heap = bytes(memory);
        if (heap == 0) {
            return 0; // a row from before settings were checked: no cap rather than a wrong one
        }
        return heap + Math.max(heap / 4, 512L << 20);
    }
}
