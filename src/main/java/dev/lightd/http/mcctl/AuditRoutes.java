package dev.lightd.http.mcctl;

import dev.lightd.ServiceException;
import dev.lightd.audit.AuditEntry;
import dev.lightd.audit.AuditLog;
import dev.lightd.audit.AuditQuery;
import dev.lightd.http.AuditParams;
import dev.lightd.http.JsonBody;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The audit log as mcctl-console reads it: list with filters, stats, one entry with related ones,
 * a live stream, an export, and a purge for admins. The shapes are the reference's; the stream's
 * frames are unnamed ({"type":"audit-log","data":{...}}), as the console's EventSource reader takes.
 */
final class AuditRoutes {

    private AuditRoutes() {}

    static void register(Javalin app, AuditLog audit, IntSupplier heartbeatSeconds) {
        app.get("/api/audit-logs", ctx -> {
            AuditQuery q = AuditParams.parse(ctx::queryParam);
            AuditLog.Page page = audit.query(q);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("logs", page.entries().stream().map(AuditRoutes::entry).toList());
            out.put("total", page.total());
            out.put("limit", q.limit());
            out.put("offset", q.offset());
            Map<String, Object> filters = new LinkedHashMap<>();
            for (String name : List.of("action", "actor", "targetType", "targetName", "status", "from", "to")) {
                filters.put(name, ctx.queryParam(name));
            }
            out.put("filters", filters);
            ctx.json(out);
        }, McctlAccess.READ);

        app.get("/api/audit-logs/stats", ctx -> {
            AuditLog.Stats s = audit.stats();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("total", s.total());
            out.put("byAction", s.byAction());
            out.put("byStatus", Map.of("success", s.success(), "failure", s.failure()));
            out.put("byActor", s.byActor());
            out.put("recentActivity", s.recent().stream().map(AuditRoutes::entry).toList());
            out.put("oldestEntry", McctlTime.format(s.oldest()));
            out.put("newestEntry", McctlTime.format(s.newest()));
            ctx.json(out);
        }, McctlAccess.READ);

        app.get("/api/audit-logs/stream", ctx -> stream(ctx, audit, Duration.ofSeconds(heartbeatSeconds.getAsInt())),
                McctlAccess.READ);

        app.get("/api/audit-logs/export", ctx -> {
            AuditQuery q = AuditParams.parse(ctx::queryParam);
            AuditExport.Format format = AuditExport.format(ctx.queryParam("format"));
            AuditExport.write(ctx, format, out -> audit.export(q, e -> out.accept(entry(e))));
        }, McctlAccess.READ);

        app.get("/api/audit-logs/{id}", ctx -> {
            String id = ctx.pathParam("id");
            AuditEntry e = (id.matches("[0-9]{1,18}") ? audit.get(Long.parseLong(id)) : Optional.<AuditEntry>empty())
                    .orElseThrow(() -> ServiceException.notFound("Audit log entry '" + id + "' not found"));
            AuditLog.Related related = audit.related(e);
            Map<String, Object> rel = new LinkedHashMap<>();
            rel.put("sameTarget", related.sameTarget().stream().map(AuditRoutes::brief).toList());
            rel.put("sameActor", related.sameActor().stream().map(AuditRoutes::brief).toList());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("log", entry(e));
            out.put("relatedLogs", rel);
            ctx.json(out);
        }, McctlAccess.READ);

        app.delete("/api/audit-logs", ctx -> {
            JsonBody b = JsonBody.parse(ctx.body());
            String before = b.string("before");
            Instant when;
            try {
                when = AuditParams.date(before, "before", false);
            } catch (ServiceException e) {
                when = null;
            }
            if (when == null) {
                // a blank "before" is no date either (it reached the purge as null: a 500)
                throw ServiceException.badRequest("Invalid date format for \"before\" parameter");
            }
            boolean dryRun = b.optionalBool("dryRun").orElse(false);
            AuditLog.Purge p = audit.purge(when, dryRun);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("deleted", p.deleted());
            out.put("dryRun", p.dryRun());
            out.put("message", p.deleted() + " audit log entries " + (dryRun ? "would be deleted" : "deleted")
                    + " before " + before);
            ctx.json(out);
        }, McctlAccess.ADMIN);
    }

    /** Each new entry as it is stored; a client too slow to keep up is told so and the stream ends. */
    private static void stream(Context ctx, AuditLog audit, Duration heartbeat) throws IOException, InterruptedException {
        try (AuditLog.Subscription sub = audit.subscribe()) {
            SseStream sse = new SseStream(ctx);
            sse.data(frame("connected", Map.of("timestamp", McctlTime.now())));
            while (true) {
                Optional<AuditEntry> next = sub.next(heartbeat);
                if (next.isPresent()) {
                    sse.data(frame("audit-log", entry(next.get())));
                } else if (sub.dropped()) {
                    sse.data(frame("error", Map.of("message", "Too far behind; reconnect")));
                    return;
                } else {
                    sse.heartbeat();
                }
            }
        } catch (IOException clientGone) {
            // the client closed the stream
        }
    }

    /** {"type": ..., "data": ...} in that order, as the console's other streams send them. */
    private static Map<String, Object> frame(String type, Object data) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type);
        out.put("data", data);
        return out;
    }

    static Map<String, Object> entry(AuditEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", Long.toString(e.id()));
        out.put("action", e.action());
        out.put("actor", e.actor());
        out.put("targetType", e.targetType());
        out.put("targetName", e.targetName());
        out.put("details", e.details());
        out.put("status", e.status());
        out.put("errorMessage", e.errorMessage());
        out.put("timestamp", McctlTime.format(e.at()));
        return out;
    }

    private static Map<String, Object> brief(AuditEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", Long.toString(e.id()));
        out.put("action", e.action());
        out.put("targetName", e.targetName());
        out.put("timestamp", McctlTime.format(e.at()));
        return out;
    }
}
