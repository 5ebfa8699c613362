package dev.lightd.http.mcctl;

import dev.lightd.ServiceException;
import dev.lightd.auth.LoginThrottle;
import dev.lightd.auth.McctlCredentials;
import dev.lightd.config.LiveConfig;
import dev.lightd.http.JsonBody;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.Map;

final class AuthRoutes {

    private AuthRoutes() {}

    static void register(Javalin app, McctlCredentials credentials, LoginThrottle throttle, LiveConfig config) {
        app.get("/health", ctx -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", "ok");
            out.put("timestamp", McctlTime.now());
            ctx.json(out);
        }, McctlAccess.PUBLIC);
        // load balancers probe with HEAD: as public as the GET
        app.head("/health", ctx -> ctx.contentType("application/json"), McctlAccess.PUBLIC);

        app.post("/api/auth/login", ctx -> {
            String client = ctx.req().getRemoteAddr();
            long wait = throttle.retryAfterSeconds(client);
            if (wait > 0) {
                ctx.header("Retry-After", Long.toString(wait));
                ctx.status(429).json(McctlErrors.body("TooManyRequests",
                        "Too many failed logins; try again in " + wait + " s"));
                return;
            }
            JsonBody b = JsonBody.parse(ctx.body());
            var user = credentials.check(b.string("username"), b.string("password"));
            if (user.isEmpty()) {
                throttle.failed(client);
                ctx.status(401).json(McctlErrors.body("Unauthorized", "Invalid username or password"));
                return;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", user.get().id());
            out.put("username", user.get().username());
            out.put("role", user.get().role());
            out.put("name", user.get().username());
            ctx.json(out);
        }, McctlAccess.READ);

        app.get("/api/auth/me", ctx -> {
            var auth = config.get().mcctl().auth();
            String user = ctx.header("X-User");
            Map<String, Object> out = new LinkedHashMap<>();
            if (user != null && !user.isBlank() && McctlAuthFilter.trusted(ctx, auth)) {
                // the filter's own reading of X-User/X-Role, so both always agree on the role
                McctlCaller proxied = ctx.attribute(McctlCaller.ATTRIBUTE);
                out.put("username", proxied.username());
                out.put("role", proxied.role());
            } else {
                McctlCaller caller = ctx.attribute(McctlCaller.ATTRIBUTE);
                if (caller == null || !"basic".equals(auth.mode())) {
                    boolean fromProxy = McctlAuthFilter.trusted(ctx, auth);
                    throw new ServiceException(ServiceException.Kind.UNAUTHORIZED, fromProxy
                            ? "No user: the trusted proxy sent no X-User header"
                            : "No user: X-User is accepted only from a trusted proxy");
                }
                out.put("username", caller.username());
                out.put("role", caller.role());
            }
            ctx.json(out);
        }, McctlAccess.READ);
    }
}
