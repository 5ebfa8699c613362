package dev.lightd.http.lightd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lightd.audit.AuditLog;
import dev.lightd.auth.Caller;
import dev.lightd.http.AuditRecorder;
import dev.lightd.http.AuditRecorder.Body;
import dev.lightd.http.AuditRecorder.Found;
import dev.lightd.http.AuditRecorder.Rule;
import dev.lightd.http.AuditRecorder.Seen;
import dev.lightd.http.AuditRecorder.Target;

import java.time.Clock;
import java.util.List;

import static dev.lightd.http.AuditRecorder.bodyField;
import static dev.lightd.http.AuditRecorder.fixed;
import static dev.lightd.http.AuditRecorder.param;
import static dev.lightd.http.AuditRecorder.responseField;

/**
 * What each action of the Lightd face is called in the audit log. Bodies give only the fields named
 * here: never a token, a file's content, an install script or a startup command (they may hold
 * secrets). Routes missing here are recorded by the fallback as {@code "<METHOD> <route>"}.
 */
final class LightdAudit {

    private LightdAudit() {}

    private static final Target PORT_IN_PATH = s -> s.param("ip") + ":" + s.param("port");
    private static final Target PORT_IN_BODY = s -> s.bodyText("ip") + ":" + s.bodyText("port");

    static final List<Rule> RULES = List.of(
            // containers
            rule("POST", "/containers", "container.create", "container", bodyField("internal_id"),
                    Body.of("image", "volume_id", "restart_on_crash", "crash_on_clean_exit")),
            rule("DELETE", "/containers/{id}", "container.delete", "container", param("id"), Body.NONE),
            rule("POST", "/containers/{id}/start", "container.start", "container", param("id"), Body.NONE),
            rule("POST", "/containers/{id}/stop", "container.stop", "container", param("id"), Body.NONE),
            rule("POST", "/containers/{id}/kill", "container.kill", "container", param("id"), Body.NONE),
            rule("POST", "/containers/{id}/restart", "container.restart", "container", param("id"), Body.NONE),
            rule("POST", "/containers/{id}/reinstall", "container.reinstall", "container", param("id"), Body.of("image")),
            rule("POST", "/containers/{id}/rebind-network", "container.rebind", "container", param("id"), Body.NONE),
            // volumes and their files
            rule("POST", "/volumes", "volume.create", "volume", responseField("volume_id"), Body.NONE),
            rule("DELETE", "/volumes/{id}", "volume.delete", "volume", param("id"), Body.NONE),
            rule("POST", "/volumes/{id}/files", "file.write", "volume", param("id"), Body.of("path")),
            rule("DELETE", "/volumes/{id}/files", "file.delete", "volume", param("id"), Body.NONE),
            // streamed: the body is never read for the record, the query's path is
            rule("POST", "/volumes/{id}/files/upload", "file.upload", "volume", param("id"), Body.NONE),
            rule("GET", "/volumes/{id}/files/download", "file.download", "volume", param("id"), Body.NONE),
            rule("POST", "/volumes/{id}/folders", "file.mkdir", "volume", param("id"), Body.of("path")),
            rule("POST", "/volumes/{id}/copy", "file.copy", "volume", param("id"), Body.of("source", "destination")),
            rule("POST", "/volumes/{id}/move", "file.move", "volume", param("id"), Body.of("source", "destination")),
            rule("POST", "/volumes/{id}/compress", "file.compress", "volume", param("id"),
                    Body.of("path", "format", "output_name")),
            rule("POST", "/volumes/{id}/decompress", "file.decompress", "volume", param("id"),
                    Body.of("archive_path", "destination")),
            // port pool
            rule("POST", "/network/ports", "port.add", "port", PORT_IN_BODY, Body.of("protocol")),
            rule("PUT", "/network/ports/{ip}/{port}/use", "port.use", "port", PORT_IN_PATH, Body.of("in_use")),
            rule("DELETE", "/network/ports/{ip}/{port}", "port.delete", "port", PORT_IN_PATH, Body.NONE),
            rule("POST", "/network/ports/bulk-delete", "port.bulk_delete", "port", fixed("pool"), Body.NONE),
            // tokens and the node's config
            rule("POST", "/auth/tokens", "token.create", "token", responseField("id"),
                    Body.of("ttl", "remove_on_use", "scopes", "containers", "volumes")),
            rule("DELETE", "/auth/tokens/{id}", "token.revoke", "token", param("id"), Body.NONE),
            rule("POST", "/remote/config/reload", "config.reload", "node", fixed("config.json"), Body.NONE));

    private static Rule rule(String method, String path, String action, String targetType, Target target, Body body) {
        return new Rule(method, path, action, targetType, target, body);
    }

    static AuditRecorder recorder(AuditLog audit, Clock clock) {
        return new AuditRecorder(audit, clock, RULES, ctx -> actor(ctx.attribute(LightdAuth.CALLER)),
                LightdAudit::errorText, LightdAudit::fallback);
    }

    /** {@code master}, or {@code token:<id>} for a minted token. */
    static String actor(Caller caller) {
        return caller == null ? null : caller.isMaster() ? "master" : "token:" + caller.tokenId();
    }

    private static String errorText(JsonNode body) {
        JsonNode error = body.get("error");
        return error != null && error.isTextual() ? error.asText() : null;
    }

    private static Found fallback(String template, Seen seen) {
        if (template.startsWith("/containers/{id}")) {
            return new Found("container", seen.param("id"));
        }
        if (template.startsWith("/volumes/{id}")) {
            return new Found("volume", seen.param("id"));
        }
        return new Found("node", template);
    }
}
