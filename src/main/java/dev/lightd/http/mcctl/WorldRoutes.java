package dev.lightd.http.mcctl;

import dev.lightd.http.JsonBody;
import dev.lightd.minecraft.HumanFormat;
import dev.lightd.minecraft.McNames;
import dev.lightd.minecraft.MinecraftService;
import dev.lightd.minecraft.WorldService;
import dev.lightd.minecraft.WorldService.WorldView;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class WorldRoutes {

    private WorldRoutes() {}

    static void register(Javalin app, WorldService worlds, MinecraftService servers) {
        app.get("/api/worlds", ctx -> {
            List<Map<String, Object>> list = worlds.list().stream().map(WorldRoutes::view).toList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("worlds", list);
            out.put("total", list.size());
            ctx.json(out);
        }, McctlAccess.READ);

        app.get("/api/worlds/{name}", ctx -> ctx.json(Map.of("world", view(worlds.get(ctx.pathParam("name"))))),
                McctlAccess.READ);

        app.post("/api/worlds", ctx -> {
            JsonBody b = JsonBody.parse(ctx.body());
            WorldService.Created c = worlds.create(b.string("name"), b.optionalString("seed").orElse(null),
                    b.optionalString("serverName").orElse(null), b.optionalBool("autoStart").orElse(false));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("success", true);
            out.put("worldName", c.worldName());
            out.put("seed", c.seed());
            out.put("serverName", c.serverName());
            out.put("started", c.started());
            ctx.status(201).json(out);
        }, McctlAccess.ACT);

        app.post("/api/worlds/{name}/assign", ctx -> {
            String serverName = JsonBody.parse(ctx.body()).string("serverName");
            WorldService.Assignment a = worlds.assign(ctx.pathParam("name"), serverName);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("success", true);
            out.put("worldName", a.worldName());
            out.put("serverName", a.serverName());
            ctx.json(out);
        }, McctlAccess.ACT);

        app.post("/api/worlds/{name}/release", ctx -> {
            String previous = worlds.release(ctx.pathParam("name"), "true".equals(ctx.queryParam("force")));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("success", true);
            out.put("worldName", McNames.world(ctx.pathParam("name")));
            out.put("previousServer", previous);
            ctx.json(out);
        }, McctlAccess.ACT);

        app.delete("/api/worlds/{name}", ctx -> {
            long size = worlds.delete(ctx.pathParam("name"), "true".equals(ctx.queryParam("force")));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("success", true);
            out.put("worldName", McNames.world(ctx.pathParam("name")));
            out.put("size", HumanFormat.size(size));
            ctx.json(out);
        }, McctlAccess.ACT);
    }

    private static Map<String, Object> view(WorldView w) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", w.name());
        out.put("path", w.path());
        out.put("isLocked", w.locked());
        out.put("lockedBy", w.lockedBy());
        out.put("size", HumanFormat.size(w.sizeBytes()));
        out.put("lastModified", McctlTime.format(w.lastModified()));
        return out;
    }
}
