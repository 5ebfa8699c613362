package dev.lightd.http.lightd;

import dev.lightd.http.JsonBody;
import dev.lightd.http.JsonMemo;
import dev.lightd.volume.Volume;
import dev.lightd.volume.VolumeService;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.Map;

/** The volumes themselves; what is inside them is served by {@link VolumeFileRoutes}. */
final class VolumeRoutes {

    private VolumeRoutes() {}

    static void register(Javalin app, VolumeService volumes) {
        app.post("/volumes", ctx -> {
            long diskLimit = JsonBody.parseOptional(ctx.body()).optionalInteger("disk_limit").orElse(0L);
            Volume v = volumes.create(diskLimit);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("volume_id", v.id());
            out.put("path", v.path().toString());
            if (v.diskLimit() > 0) {
                out.put("disk_limit", v.diskLimit()); // the seed's exact shape when none was asked for
            }
            ctx.status(201).json(out);
        }, Access.TOKEN);

        JsonMemo list = new JsonMemo();
        app.get("/volumes", ctx -> list.answer(ctx, Map.of("volumes",
                volumes.list().stream().map(VolumeRoutes::summary).toList())), Access.TOKEN);

        app.get("/volumes/{id}", ctx -> {
            Volume v = volumes.find(ctx.pathParam("id"));
            Map<String, Object> out = summary(v);
            out.put("size", volumes.size(v));
            out.put("disk_used", volumes.diskUsed(v));
            ctx.json(out);
        }, Access.TOKEN);

        app.delete("/volumes/{id}", ctx -> {
            volumes.delete(ctx.pathParam("id"));
            ctx.json(Map.of("message", "Volume deleted successfully"));
        }, Access.TOKEN);
    }

    private static Map<String, Object> summary(Volume v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("volume_id", v.id());
        out.put("path", v.path().toString());
        out.put("created_at", v.createdAt());
        out.put("disk_limit", v.diskLimit()); // an extra beside the seed's fields: 0 = no limit
        return out;
    }
}
