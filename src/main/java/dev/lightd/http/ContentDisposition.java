package dev.lightd.http;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The filename of a multipart part's Content-Disposition, and the header a download answers with.
 * Parsing only finds the name; whether it is an acceptable file name is for the fs layer to say.
 */
public final class ContentDisposition {

    private ContentDisposition() {}

    /**
     * {@code filename*=UTF-8''...} (RFC 5987) when present, else {@code filename="..."} or a bare
     * token; null when the part has none (a form field).
     */
    static String fileName(String header) {
        if (header == null) {
            return null;
        }
        String plain = null;
        String extended = null;
        int i = 0;
        int n = header.length();
        while (i < n) {
            int semi = header.indexOf(';', i);
            if (semi < 0) {
                break;
            }
            i = semi + 1;
            while (i < n && header.charAt(i) == ' ') {
                i++;
            }
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            i = eq + 1;
            if (i < n && header.charAt(i) == '"') {
                i++;
                // browsers percent-encode a quote in a name and send a backslash as it is (WHATWG
                // FormData), so a backslash is not an escape: "..\\x" stays what it is and is refused
                while (i < n && header.charAt(i) != '"') {
                    value.append(header.charAt(i++));
                }
                i++; // the closing quote
            } else {
                while (i < n && header.charAt(i) != ';') {
                    value.append(header.charAt(i++));
                }
            }
            if (key.equals("filename")) {
                plain = value.toString();
            } else if (key.equals("filename*")) {
                extended = extended(value.toString().trim());
            }
        }
        return extended != null ? extended : plain;
    }

    private static String extended(String value) {
        int quote = value.indexOf("''");
        if (quote < 0 || !value.substring(0, quote).equalsIgnoreCase("UTF-8")) {
            return null;
        }
        try {
            return URLDecoder.decode(value.substring(quote + 2).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * {@code attachment; filename="<name percent-encoded>"}, as mcctl-api sends it (JavaScript's
     * encodeURIComponent), so no quote, semicolon or line break of a file name reaches the header.
     */
    public static String attachment(String fileName) {
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8)
                .replace("+", "%20").replace("%21", "!").replace("%27", "'").replace("%28", "(")
                .replace("%29", ")").replace("%7E", "~").replace("%2A", "*");
        return "attachment; filename=\"" + encoded + "\"";
    }
}
