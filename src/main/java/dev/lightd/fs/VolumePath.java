package dev.lightd.fs;

import dev.lightd.ServiceException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's path inside a volume, checked as text before the kernel checks it again with openat2:
 * NUL bytes, absolute paths and ".." (also when percent-encoded) are refused outright.
 */
public record VolumePath(List<String> segments) {

    public static final String TRAVERSAL = "Invalid path: path traversal detected";

    public static VolumePath parse(String text) {
        if (text == null) {
            return new VolumePath(List.of());
        }
        if (text.indexOf('\0') >= 0 || text.startsWith("/") || hasDotDot(text) || hasDotDot(decoded(text))) {
            throw ServiceException.badRequest(TRAVERSAL);
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw ServiceException.badRequest("Invalid path: longer than " + MAX_PATH_BYTES + " bytes");
        }
        List<String> segments = new ArrayList<>();
        for (String s : text.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                if (s.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                    throw ServiceException.badRequest("Invalid path: a name is longer than " + MAX_NAME_BYTES + " bytes");
                }
                segments.add(s);
            }
        }
        checkDepth(segments.size());
        return new VolumePath(List.copyOf(segments));
    }

    /** Linux's limits (PATH_MAX less the volume's own path, NAME_MAX), checked before anything is touched. */
    static final int MAX_PATH_BYTES = 3072;
    static final int MAX_NAME_BYTES = 255;
    /** Deeper folder trees are refused: walks hold a descriptor per level and recurse. */
    static final int MAX_DEPTH = 128;

    static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw ServiceException.badRequest("Folder tree too deep: more than " + MAX_DEPTH + " levels");
        }
    }

    public int depth() {
        return segments.size();
    }

    private static boolean hasDotDot(String text) {
        for (String s : text.split("[/\\\\]")) {
            if (s.equals("..")) {
                return true;
            }
        }
        return text.indexOf('\0') >= 0 || text.startsWith("/");
    }

    private static String decoded(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    public String name() {
        return segments.getLast();
    }

    public VolumePath parent() {
        return new VolumePath(segments.subList(0, segments.size() - 1));
    }

    public VolumePath child(String name) {
        List<String> s = new ArrayList<>(segments);
        s.add(name);
        return new VolumePath(List.copyOf(s));
    }

    public boolean startsWith(VolumePath other) {
        return segments.size() >= other.segments.size()
                && segments.subList(0, other.segments.size()).equals(other.segments);
    }

    /** Whether a relative symlink target, seen from this folder, stays beneath the root. */
    public boolean linkStaysInside(String target) {
        if (target == null || target.isEmpty() || target.startsWith("/") || target.indexOf('\0') >= 0) {
            return false;
        }
        int depth = segments.size();
        for (String s : target.split("/")) {
            if (s.equals("..")) {
                if (--depth < 0) {
                    return false;
                }
            } else if (!s.isEmpty() && !s.equals(".")) {
                depth++;
            }
        }
        return true;
    }

    /** The relative form for openat2; "" for the root. */
    public String rel() {
        return String.join("/", segments);
    }

    @Override
    public String toString() {
        return rel();
    }
}
