package dev.lightd.http.mcctl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lightd.audit.AuditLog;
import dev.lightd.http.AuditRecorder;
import dev.lightd.http.AuditRecorder.Body;
import dev.lightd.http.AuditRecorder.Found;
import dev.lightd.http.AuditRecorder.Rule;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.lightd.http.AuditRecorder.bodyField;
import static dev.lightd.http.AuditRecorder.fixed;
import static dev.lightd.http.AuditRecorder.param;

/**
 * What each action of the mcctl face is called in the audit log, with the reference's action names
 * (server.create, player.whitelist.add, ...). Routes missing here are recorded by the fallback as
 * {@code "<METHOD> <route>"}, their target the server or world their path names.
 */
final class McctlAudit {

    private McctlAudit() {}

    static final List<Rule> RULES = List.of(
            // servers
            rule("POST", "/api/servers", "server.create", "server", bodyField("name"),
                    Body.of("name", "type", "version", "memory", "world", "autoStart")),
            rule("DELETE", "/api/servers/{name}", "server.delete", "server", param("name"), Body.NONE),
            rule("POST", "/api/servers/{name}/start", "server.start", "server", param("name"), Body.NONE),
            rule("POST", "/api/servers/{name}/stop", "server.stop", "server", param("name"), Body.NONE),
            rule("POST", "/api/servers/{name}/restart", "server.restart", "server", param("name"), Body.NONE),
            rule("POST", "/api/servers/{name}/exec", "server.exec", "server", param("name"), Body.of("command")),
            rule("POST", "/servers/{id}/console/exec", "server.exec", "server", param("id"), Body.of("command")),
            // settings
            rule("PATCH", "/api/servers/{name}/config", "server.config", "server", param("name"), Body.SETTINGS),
            new Rule("POST", "/api/servers/{name}/world/reset", "world.delete", "server", param("name"), Body.NONE,
                    Map.of("type", "reset")),
            // players
            rule("POST", "/api/servers/{name}/whitelist", "player.whitelist.add", "server", param("name"),
                    Body.of("player")),
            rule("DELETE", "/api/servers/{name}/whitelist/{player}", "player.whitelist.remove", "server",
                    param("name"), Body.NONE),
            rule("PUT", "/api/servers/{name}/whitelist/status", "player.whitelist.toggle", "server", param("name"),
                    Body.of("enabled")),
            rule("POST", "/api/servers/{name}/ops", "player.op", "server", param("name"), Body.of("player", "level")),
            rule("PATCH", "/api/servers/{name}/ops/{player}", "player.op.level", "server", param("name"),
                    Body.of("level")),
            rule("DELETE", "/api/servers/{name}/ops/{player}", "player.deop", "server", param("name"), Body.NONE),
            rule("POST", "/api/servers/{name}/bans", "player.ban", "server", param("name"), Body.of("player", "reason")),
            rule("DELETE", "/api/servers/{name}/bans/{player}", "player.unban", "server", param("name"), Body.NONE),
            // files (the query's path is recorded for every route)
            rule("PUT", "/api/servers/{name}/files/write", "file.write", "server", param("name"), Body.NONE),
            rule("DELETE", "/api/servers/{name}/files", "file.delete", "server", param("name"), Body.NONE),
            rule("POST", "/api/servers/{name}/files/mkdir", "file.mkdir", "server", param("name"), Body.NONE),
            rule("POST", "/api/servers/{name}/files/rename", "file.rename", "server", param("name"),
                    Body.of("oldPath", "newPath")),
            rule("POST", "/api/servers/{name}/files/upload", "file.upload", "server", param("name"), Body.NONE),
            rule("GET", "/api/servers/{name}/files/download", "file.download", "server", param("name"), Body.NONE),
            // worlds
            rule("POST", "/api/worlds", "world.create", "world", bodyField("name"),
                    Body.of("name", "seed", "serverName", "autoStart")),
            rule("POST", "/api/worlds/{name}/assign", "world.assign", "world", param("name"), Body.of("serverName")),
            rule("POST", "/api/worlds/{name}/release", "world.release", "world", param("name"), Body.NONE),
            rule("DELETE", "/api/worlds/{name}", "world.delete", "world", param("name"), Body.NONE),
            // users and the log itself
            rule("POST", "/api/auth/login", "auth.login", "user", bodyField("username"), Body.NONE),
            rule("DELETE", "/api/audit-logs", "audit.purge", "system", fixed("audit-logs"), Body.of("before", "dryRun")));

    private static Rule rule(String method, String path, String action, String targetType,
                             AuditRecorder.Target target, Body body) {
        return new Rule(method, path, action, targetType, target, body);
    }

    static AuditRecorder recorder(AuditLog audit, Clock clock) {
        return new AuditRecorder(audit, clock, RULES, McctlAudit::actor, McctlAudit::errorText, McctlAudit::fallback);
    }

    /** X-User from a trusted proxy, else the key's name ({@code key:<name>}), the Basic user or {@code ip:<address>}. */
    private static String actor(Context ctx) {
        McctlCaller caller = ctx.attribute(McctlCaller.ATTRIBUTE);
        return caller == null ? null : caller.username();
    }

    private static String errorText(JsonNode body) {
        JsonNode message = body.get("message");
        JsonNode error = body.get("error");
        return message != null && message.isTextual() ? message.asText()
                : error != null && error.isTextual() ? error.asText() : null;
    }

    /** A server's or world's route names it; anything else is the node's. */
    private static Found fallback(String template, AuditRecorder.Seen seen) {
        if (template.startsWith("/api/servers/{name}")) {
            return new Found("server", seen.param("name"));
        }
        if (template.startsWith("/api/worlds/{name}")) {
            return new Found("world", seen.param("name"));
        }
        return new Found("system", template);
    }
}
