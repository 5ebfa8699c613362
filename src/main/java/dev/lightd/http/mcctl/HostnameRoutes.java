package dev.lightd.http.mcctl;

import dev.lightd.minecraft.MinecraftService;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /api/servers/:name/hostnames as mcctl-api answers it, from the one hostname Lightd gives a
 * server (the configured pattern). Custom hostnames need the hostname router, which Lightd does
 * not run yet: the list is always empty and PUT is not offered (405).
 */
final class HostnameRoutes {

    private HostnameRoutes() {}

    static void register(Javalin app, MinecraftService servers, Hostnames hostnames) {
        app.get("/api/servers/{name}/hostnames", ctx -> {
            String name = servers.get(ctx.pathParam("name")).name();
            String hostname = hostnames.of(name);
            Map<String, Object> system = new LinkedHashMap<>();
            system.put("hostname", hostname);
            system.put("type", "system");
            system.put("description", hostname.endsWith(".nip.io") ? "nip.io" : "Configured pattern");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("serverName", name);
            out.put("hostnames", List.of(hostname));
            out.put("systemHostnames", List.of(system));
            out.put("customHostnames", List.of());
            ctx.json(out);
        }, McctlAccess.READ);
    }
}
