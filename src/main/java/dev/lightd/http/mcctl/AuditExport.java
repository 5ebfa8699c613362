package dev.lightd.http.mcctl;

import dev.lightd.ServiceException;
import dev.lightd.json.Json;
import io.javalin.http.Context;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The audit log as a download, streamed row by row (no row limit, no copy in memory): CSV with the
 * columns mcctl-console's own export writes, or NDJSON (one entry per line, as the list shows it).
 * A CSV cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is
 * prefixed with a quote: actors and targets come from clients.
 */
final class AuditExport {

    enum Format { CSV, NDJSON }

    static final String CSV_HEADER = "ID,Timestamp,Action,Actor,Target Type,Target Name,Status,Error Message,Details";

    private AuditExport() {}

    static Format format(String text) {
        if (text == null || text.isBlank() || text.equals("csv")) {
            return Format.CSV;
        }
        if (text.equals("ndjson")) {
            return Format.NDJSON;
        }
        throw ServiceException.badRequest("Invalid format: expected csv or ndjson");
    }

    /** @param rows calls its argument once per entry (as {@link AuditRoutes#entry} shapes it) */
    static void write(Context ctx, Format format, Consumer<Consumer<Map<String, Object>>> rows) throws IOException {
        String stamp = McctlTime.now().replace(':', '-').replace('.', '-');
        boolean csv = format == Format.CSV;
        ctx.res().setStatus(200);
        ctx.res().setContentType(csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
        ctx.res().setHeader("Content-Disposition",
                "attachment; filename=\"audit-logs-" + stamp + (csv ? ".csv" : ".ndjson") + "\"");
        Writer out = new BufferedWriter(new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8));
        try {
            if (csv) {
                out.write(CSV_HEADER + "\n");
            }
            rows.accept(entry -> {
                try {
                    out.write(csv ? csvLine(entry) : Json.MAPPER.writeValueAsString(entry));
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (UncheckedIOException clientGone) {
            // the client stopped reading; nothing more to send
        }
    }

    static String csvLine(Map<String, Object> e) throws IOException {
        Object details = e.get("details");
        String[] cells = {str(e.get("id")), str(e.get("timestamp")), str(e.get("action")), str(e.get("actor")),
                str(e.get("targetType")), str(e.get("targetName")), str(e.get("status")), str(e.get("errorMessage")),
                details == null ? "" : Json.MAPPER.writeValueAsString(details)};
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(cells[i]));
        }
        return line.toString();
    }

    private static String str(Object o) {
        return o == null ? "" : Objects.toString(o);
    }

    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
