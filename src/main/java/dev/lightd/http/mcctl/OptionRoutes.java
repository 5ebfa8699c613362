package dev.lightd.http.mcctl;

import dev.lightd.http.JsonBody;
import dev.lightd.minecraft.McOptions;
import dev.lightd.minecraft.MinecraftService;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mcctl-console's Options page (settings, world reset), and the answer its playit.gg panel needs
 * to show "not configured" (Lightd runs no playit agent).
 */
final class OptionRoutes {

    private OptionRoutes() {}

    static void register(Javalin app, MinecraftService servers) {
        McOptions options = servers.options();
        app.get("/api/servers/{name}/config", ctx -> ctx.json(Map.of("config", options.config(ctx.pathParam("name")))),
                McctlAccess.READ);

        app.patch("/api/servers/{name}/config", ctx -> {
            McOptions.Update u = options.update(ctx.pathParam("name"), JsonBody.parse(ctx.body()).tree());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("success", true);
            out.put("config", u.config());
            out.put("restartRequired", u.restartRequired());
            out.put("changedFields", u.changedFields());
            ctx.json(out);
        }, McctlAccess.ACT);

        app.post("/api/servers/{name}/world/reset", ctx -> {
            McOptions.Reset r = options.resetWorld(ctx.pathParam("name"));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("success", true);
            out.put("message", "World data has been reset. Start the server to generate a new world.");
            out.put("worldName", r.worldName());
            ctx.json(out);
            // the old world goes once the answer is on its way: a big world takes a while to remove
            Thread.ofVirtual().name("world-reset-discard").start(r.discard());
        }, McctlAccess.ACT);

        app.get("/api/playit/status", ctx -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("enabled", false);
            out.put("agentRunning", false);
            out.put("secretKeyConfigured", false);
            out.put("containerStatus", "not_found");
            out.put("servers", List.of());
            ctx.json(out);
        }, McctlAccess.READ);
    }
}
