package dev.lightd.http.lightd;

import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.Map;

final class PublicRoutes {

    private PublicRoutes() {}

    static void register(Javalin app) {
        Map<String, String> pong = new LinkedHashMap<>();
        pong.put("status", "ok");
        pong.put("message", "Lightd is running");
        app.get("/api/v1/public/ping", ctx -> ctx.json(pong), Access.PUBLIC);
    }
}
