package dev.lightd.http.mcctl;

import dev.lightd.http.JsonBody;
import dev.lightd.http.JsonMemo;
import dev.lightd.minecraft.HumanFormat;
import dev.lightd.minecraft.McNames;
import dev.lightd.minecraft.MinecraftService;
import dev.lightd.minecraft.MinecraftService.ServerView;
import dev.lightd.minecraft.WorldService;
import dev.lightd.runtime.StatsSample;
import io.javalin.Javalin;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

final class ServerRoutes {

    private ServerRoutes() {}

    static void register(Javalin app, MinecraftService servers, WorldService worlds, Hostnames hostnames) {
        // built from memory each time; serialised only when something shown changed
        JsonMemo listJson = new JsonMemo();
        app.get("/api/servers", ctx -> {
            List<Map<String, Object>> list = servers.list().stream().map(v -> summary(v, hostnames)).toList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("servers", list);
            out.put("total", list.size());
            listJson.answer(ctx, out);
        }, McctlAccess.READ);

        app.post("/api/servers", ctx -> {
            JsonBody b = JsonBody.parse(ctx.body());
            ServerView v = servers.create(new MinecraftService.NewServer(b.string("name"),
                    b.optionalString("type").orElse(null), b.optionalString("version").orElse(null),
                    b.optionalString("memory").orElse(null), b.optionalString("seed").orElse(null),
                    b.optionalString("world").orElse(null), b.optionalBool("autoStart").orElse(false),
                    b.optionalBool("crashOnCleanExit").orElse(false)));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("success", true);
            out.put("server", detail(v, hostnames));
            ctx.status(201).json(out);
        }, McctlAccess.ACT);

        // one per server that exists (get refuses other names), dropped with the server
        Map<String, JsonMemo> detailJson = new ConcurrentHashMap<>();
        app.get("/api/servers/{name}", ctx -> {
            ServerView v = servers.get(ctx.pathParam("name"));
            detailJson.computeIfAbsent(v.name(), n -> new JsonMemo()).answer(ctx, Map.of("server", detail(v, hostnames)));
        }, McctlAccess.READ);

        app.delete("/api/servers/{name}", ctx -> {
            String name = ctx.pathParam("name");
            servers.delete(name, "true".equals(ctx.queryParam("force")));
            detailJson.remove(McNames.server(name));
            ctx.json(action(McNames.server(name), "delete", "Server deleted successfully"));
        }, McctlAccess.ACT);

        power(app, "start", "Server started successfully", servers::start, servers);
        power(app, "stop", "Server stopped successfully", servers::stop, servers);
        power(app, "restart", "Server restarted successfully", servers::restart, servers);

        app.post("/api/servers/{name}/exec", ctx -> {
            String output = servers.exec(ctx.pathParam("name"), JsonBody.parse(ctx.body()).string("command"));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("success", true);
            out.put("output", output);
            ctx.json(out);
        }, McctlAccess.ACT);

        app.post("/servers/{id}/console/exec", ctx -> {
            String output = servers.exec(ctx.pathParam("id"), JsonBody.parse(ctx.body()).string("command"));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("output", output);
            out.put("exitCode", 0);
            ctx.json(out);
        }, McctlAccess.ACT);
    }

    private static void power(Javalin app, String action, String message, Consumer<String> run, MinecraftService servers) {
        app.post("/api/servers/{name}/" + action, ctx -> {
            run.accept(ctx.pathParam("name"));
            ctx.json(action(servers.get(ctx.pathParam("name")).name(), action, message));
        }, McctlAccess.ACT);
    }

    static Map<String, Object> action(String server, String action, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        out.put("server", server);
        out.put("action", action);
        out.put("timestamp", McctlTime.now());
        out.put("message", message);
        return out;
    }

    static Map<String, Object> summary(ServerView v, Hostnames hostnames) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", v.name());
        out.put("container", v.container());
        out.put("status", v.status());
        out.put("health", v.health());
        out.put("hostname", hostnames.of(v.name()));
        return out;
    }

    static Map<String, Object> detail(ServerView v, Hostnames hostnames) {
        Map<String, Object> out = summary(v, hostnames);
        out.put("type", v.type());
        out.put("version", v.version());
        out.put("memory", v.memory());
        long uptime = v.startedAt() == null ? 0 : Math.max(0, Duration.between(v.startedAt(), Instant.now()).toSeconds());
        out.put("uptime", v.startedAt() == null ? null : HumanFormat.uptime(uptime));
        out.put("uptimeSeconds", uptime);
        Map<String, Object> players = new LinkedHashMap<>();
        players.put("online", v.players().online());
        players.put("max", v.players().max());
        players.put("list", v.players().list());
        players.put("players", v.players().list());
        out.put("players", players);
        StatsSample s = v.stats();
        Map<String, Object> stats = new LinkedHashMap<>();
        long used = s == null ? 0 : s.memoryUsage();
        long limit = s == null ? 0 : s.memoryLimit();
        double cpu = s == null ? 0 : s.cpuPercent();
        stats.put("cpu", HumanFormat.percent(cpu));
        stats.put("memory", HumanFormat.memory(used) + " / " + HumanFormat.memory(limit));
        stats.put("cpuPercent", cpu);
        stats.put("memoryUsage", used);
        stats.put("memoryLimit", limit);
        stats.put("memoryPercent", limit == 0 ? 0.0 : Math.round(used * 1000.0 / limit) / 10.0);
        out.put("stats", stats);
        out.put("worldName", v.world());
        out.put("worldSize", v.worldSize() == null ? null : HumanFormat.size(v.worldSize()));
        return out;
    }

}
