package dev.lightd.http.lightd;

import dev.lightd.http.JsonBody;
import dev.lightd.http.JsonMemo;
import dev.lightd.network.PoolPort;
import dev.lightd.network.PortAddress;
import dev.lightd.network.PortKey;
import dev.lightd.network.PortPoolService;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class PortRoutes {

    private PortRoutes() {}

    static void register(Javalin app, PortPoolService pool) {
        app.post("/network/ports", ctx -> {
            JsonBody body = JsonBody.parse(ctx.body());
            PoolPort added = pool.add(body.string("ip"), body.integer("port"),
                    body.optionalString("protocol").orElse("tcp"));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("message", "Port added to pool");
            out.put("ip", added.ip());
            out.put("port", added.port());
            out.put("protocol", added.protocol());
            ctx.json(out);
        }, Access.TOKEN);

        // 1,000 ports are ~60 KB of JSON: made again only when the pool changed
        JsonMemo list = new JsonMemo();
        app.get("/network/ports", ctx -> list.answer(ctx, Map.of("ports", pool.list())), Access.TOKEN);

        // Registered before /{ip}/{port} so "random" is never read as an address.
        app.get("/network/ports/random", ctx -> ctx.json(pool.random()), Access.TOKEN);

        app.get("/network/ports/{ip}/{port}", ctx -> ctx.json(
                pool.get(ctx.pathParam("ip"), PortAddress.port(ctx.pathParam("port")))), Access.TOKEN);

        app.put("/network/ports/{ip}/{port}/use", ctx -> {
            String ip = ctx.pathParam("ip");
            int port = PortAddress.port(ctx.pathParam("port"));
            boolean inUse = JsonBody.parse(ctx.body()).bool("in_use");
            pool.setInUse(ip, port, inUse);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("message", "Port usage updated");
            out.put("ip", ip);
            out.put("port", port);
            out.put("in_use", inUse);
            ctx.json(out);
        }, Access.TOKEN);

        app.delete("/network/ports/{ip}/{port}", ctx -> {
            pool.delete(ctx.pathParam("ip"), PortAddress.port(ctx.pathParam("port")));
            ctx.json(Map.of("message", "Port deleted from pool"));
        }, Access.TOKEN);

        app.post("/network/ports/bulk-delete", ctx -> {
            List<PortKey> keys = JsonBody.parse(ctx.body())
                    .objects("ports", p -> new PortKey(p.string("ip"), PortAddress.port(p.integer("port"))));
            int deleted = pool.deleteAll(keys);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("message", "Deleted " + deleted + " ports from pool");
            out.put("deleted_count", deleted);
            ctx.json(out);
        }, Access.TOKEN);
    }
}
