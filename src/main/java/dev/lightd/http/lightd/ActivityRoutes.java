package dev.lightd.http.lightd;

import dev.lightd.audit.AuditEntry;
import dev.lightd.audit.AuditLog;
import dev.lightd.audit.AuditQuery;
import dev.lightd.http.AuditParams;
import io.javalin.Javalin;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * GET /activity: the audit log of both faces (the same entries as the mcctl face's
 * /api/audit-logs), with the same filters, in this face's snake_case. Master token only: it shows
 * what every token did.
 */
final class ActivityRoutes {

    private ActivityRoutes() {}

    static void register(Javalin app, AuditLog audit) {
        app.get("/activity", ctx -> {
            // the console's camelCase names, or this face's snake_case ones
            AuditQuery q = AuditParams.parse(name -> {
                String value = ctx.queryParam(name);
                return value != null ? value : ctx.queryParam(snake(name));
            });
            AuditLog.Page page = audit.query(q);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("activity", page.entries().stream().map(ActivityRoutes::entry).toList());
            out.put("total", page.total());
            out.put("limit", q.limit());
            out.put("offset", q.offset());
            ctx.json(out);
        }, Access.MASTER);
    }

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> entry(AuditEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", Long.toString(e.id()));
        out.put("action", e.action());
        out.put("actor", e.actor());
        out.put("target_type", e.targetType());
        out.put("target_name", e.targetName());
        out.put("details", e.details());
        out.put("status", e.status());
        out.put("error_message", e.errorMessage());
        out.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(e.at()));
        return out;
    }
}
