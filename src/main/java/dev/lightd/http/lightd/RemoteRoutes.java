package dev.lightd.http.lightd;

import dev.lightd.ServiceException;
import dev.lightd.config.ConfigException;
import dev.lightd.config.LightdConfig;
import dev.lightd.config.LiveConfig;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

final class RemoteRoutes {

    private static final Logger log = LoggerFactory.getLogger(RemoteRoutes.class);

    private RemoteRoutes() {}

    static void register(Javalin app, LiveConfig config) {
        app.get("/remote/config", ctx -> ctx.json(view(config.get())), Access.MASTER);

        app.post("/remote/config/reload", ctx -> {
            try {
                config.reload();
            } catch (ConfigException e) {
                throw ServiceException.badRequest("Configuration not reloaded: " + e.getMessage());
            }
            log.info("event=config_reloaded");
            ctx.json(Map.of("message", "Configuration reloaded successfully"));
        }, Access.MASTER);
    }

    /** The seed's shape: version, server, authorization and remote. */
    private static Map<String, Object> view(LightdConfig c) {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("host", c.server().host());
        server.put("port", c.server().port());
        Map<String, Object> authorization = new LinkedHashMap<>();
        authorization.put("enabled", c.authorization().enabled());
        authorization.put("token", c.authorization().token());
        Map<String, Object> remote = new LinkedHashMap<>();
        remote.put("enabled", c.remote().enabled());
        remote.put("url", c.remote().url());
        remote.put("token", c.remote().token());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", c.version());
        out.put("server", server);
        out.put("authorization", authorization);
        out.put("remote", remote);
        return out;
    }
}
