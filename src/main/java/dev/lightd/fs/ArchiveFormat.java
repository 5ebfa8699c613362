package dev.lightd.fs;

import dev.lightd.ServiceException;

import java.util.Locale;
import java.nio.charset.StandardCharsets;

public enum ArchiveFormat {
    TAR_GZ("tar.gz"), ZIP("zip"), TAR_ZST("tar.zst"), TAR("tar");

    private final String extension;

    ArchiveFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    /** The formats a client may ask compress for. */
    public static ArchiveFormat forCompress(String name) {
        String n = name == null ? "tar.gz" : name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "tar.gz", "tgz" -> TAR_GZ;
            case "zip" -> ZIP;
            case "tar.zst", "tar.zstd" -> TAR_ZST;
            default -> throw ServiceException.badRequest("Invalid format: expected tar.gz, zip or tar.zst");
        };
    }

    /** Recognises an archive by its first bytes, whatever its name says. */
    static ArchiveFormat sniff(byte[] head, int n) {
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return TAR_GZ;
        }
        if (n >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return TAR_ZST;
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return ZIP;
        }
        if (n >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            return TAR;
        }
        throw ServiceException.badRequest("Unsupported archive format: expected tar.gz, tar.zst, zip or tar");
    }
}
