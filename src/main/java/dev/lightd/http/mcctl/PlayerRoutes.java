package dev.lightd.http.mcctl;

import dev.lightd.http.JsonBody;
import dev.lightd.minecraft.McPlayers;
import dev.lightd.minecraft.McPlayers.Operator;
import dev.lightd.minecraft.McPlayers.Result;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whitelist, operators and bans as mcctl-console reads them (its IMcctlApiClient types): lists
 * from the server's files ({@code source: "file"}), changes over RCON to a running server
 * ({@code source: "rcon"}) or into the files of a stopped one ({@code source: "file"}).
 */
final class PlayerRoutes {

    private PlayerRoutes() {}

    static void register(Javalin app, McPlayers players) {
        String base = "/api/servers/{name}/";

        app.get(base + "whitelist", ctx -> {
            String name = ctx.pathParam("name");
            List<Map<String, Object>> list = players.whitelist(name).stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", p.name());
                m.put("uuid", p.uuid());
                return m;
            }).toList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("players", list);
            out.put("total", list.size());
            out.put("source", "file");
            out.put("enabled", players.whitelistEnabled(name));
            ctx.json(out);
        }, McctlAccess.READ);
        app.post(base + "whitelist", ctx -> ctx.json(action(players.whitelistAdd(ctx.pathParam("name"),
                JsonBody.parse(ctx.body()).string("player")))), McctlAccess.ACT);
        app.delete(base + "whitelist/{player}", ctx -> ctx.json(action(players.whitelistRemove(ctx.pathParam("name"),
                ctx.pathParam("player")))), McctlAccess.ACT);
        app.get(base + "whitelist/status", ctx -> ctx.json(status(players.whitelistEnabled(ctx.pathParam("name")))),
                McctlAccess.READ);
        app.put(base + "whitelist/status", ctx -> {
            String name = ctx.pathParam("name");
            boolean enabled = JsonBody.parse(ctx.body()).bool("enabled");
            players.setWhitelistEnabled(name, enabled);
            ctx.json(status(enabled));
        }, McctlAccess.ACT);

        app.get(base + "ops", ctx -> {
            List<Map<String, Object>> list = players.ops(ctx.pathParam("name")).stream().map(PlayerRoutes::operator).toList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("operators", list);
            out.put("count", list.size());
            out.put("source", "file");
            ctx.json(out);
        }, McctlAccess.READ);
        app.post(base + "ops", ctx -> {
            JsonBody b = JsonBody.parse(ctx.body());
            String player = b.string("player");
            Operator op = players.opAdd(ctx.pathParam("name"), player, b.optionalInteger("level").orElse(4L));
            ctx.json(opAction(op, "Made " + op.name() + " a server operator (level " + op.level() + ")",
                    ctx.pathParam("name"), players));
        }, McctlAccess.ACT);
        app.patch(base + "ops/{player}", ctx -> {
            Operator op = players.opLevel(ctx.pathParam("name"), ctx.pathParam("player"),
                    JsonBody.parse(ctx.body()).integer("level"));
            ctx.json(opAction(op, "Set " + op.name() + "'s operator level to " + op.level(), ctx.pathParam("name"),
                    players));
        }, McctlAccess.ACT);
        app.delete(base + "ops/{player}", ctx -> {
            Result r = players.opRemove(ctx.pathParam("name"), ctx.pathParam("player"));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("success", true);
            out.put("message", r.message());
            out.put("source", r.source());
            ctx.json(out);
        }, McctlAccess.ACT);

        app.get(base + "bans", ctx -> {
            List<Map<String, Object>> list = players.bans(ctx.pathParam("name")).stream().map(b -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", b.name());
                m.put("uuid", b.uuid());
                m.put("reason", b.reason());
                m.put("created", b.created());
                m.put("source", b.source());
                m.put("expires", b.expires());
                return m;
            }).toList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("players", list);
            out.put("total", list.size());
            out.put("source", "file");
            ctx.json(out);
        }, McctlAccess.READ);
        app.post(base + "bans", ctx -> {
            JsonBody b = JsonBody.parse(ctx.body());
            ctx.json(action(players.ban(ctx.pathParam("name"), b.string("player"),
                    b.optionalString("reason").orElse(null))));
        }, McctlAccess.ACT);
        app.delete(base + "bans/{player}", ctx -> ctx.json(action(players.pardon(ctx.pathParam("name"),
                ctx.pathParam("player")))), McctlAccess.ACT);
    }

    private static Map<String, Object> action(Result r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        out.put("message", r.message());
        out.put("source", r.source());
        return out;
    }

    private static Map<String, Object> status(boolean enabled) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", enabled);
        out.put("source", "config");
        return out;
    }

    private static Map<String, Object> operator(Operator op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", op.name());
        m.put("uuid", op.uuid());
        m.put("level", op.level());
        m.put("role", op.role());
        m.put("bypassesPlayerLimit", op.bypassesPlayerLimit());
        return m;
    }

    private static Map<String, Object> opAction(Operator op, String message, String server, McPlayers players) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        out.put("operator", operator(op));
        out.put("message", message);
        out.put("source", players.isRunning(server) ? "rcon" : "file");
        return out;
    }
}
