package dev.lightd.http.mcctl;

import dev.lightd.ServiceException;
import dev.lightd.config.Cidr;
import dev.lightd.auth.McctlCredentials;
import dev.lightd.config.LightdConfig.McctlAuthConfig;
import dev.lightd.config.LiveConfig;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The mcctl auth modes: disabled, api-key (X-API-Key, or ?api_key= for EventSource), ip-whitelist,
 * basic (users), combined (key and whitelist). X-User/X-Role are believed only from trusted proxies;
 * a viewer may read but not act.
 */
final class McctlAuthFilter {

    private final LiveConfig config;
    private final McctlCredentials credentials;

    McctlAuthFilter(LiveConfig config, McctlCredentials credentials) {
        this.config = config;
        this.credentials = credentials;
    }

    void check(Context ctx) {
        if (ctx.routeRoles().contains(McctlAccess.PUBLIC)) {
            return;
        }
        McctlAuthConfig auth = config.get().mcctl().auth();
        McctlCaller caller = switch (auth.mode()) {
            case "disabled" -> new McctlCaller("anonymous", "admin");
            case "api-key" -> requireKey(ctx);
            case "ip-whitelist" -> requireWhitelisted(ctx, auth);
            case "basic" -> requireUser(ctx);
            case "combined" -> {
                requireWhitelisted(ctx, auth);
                yield requireKey(ctx);
            }
            default -> throw new ServiceException(ServiceException.Kind.UNAUTHORIZED, "Unknown auth mode");
        };
        caller = proxied(ctx, auth, caller);
        // known before the role check, so the audit log names who was refused
        ctx.attribute(McctlCaller.ATTRIBUTE, caller);
        if (ctx.routeRoles().contains(McctlAccess.ACT) && !caller.mayAct()) {
            throw ServiceException.forbidden("Role '" + caller.role() + "' may read but not act");
        }
        if (ctx.routeRoles().contains(McctlAccess.ADMIN) && !caller.isAdmin()) {
            throw ServiceException.forbidden("Role '" + caller.role() + "' may not do this: admins only");
        }
    }

    private McctlCaller requireKey(Context ctx) {
        String key = ctx.header("X-API-Key");
        if (key == null) {
            key = ctx.queryParam("api_key");
        }
        if (key == null || key.isBlank()) {
            throw new ServiceException(ServiceException.Kind.UNAUTHORIZED, "Missing API key (X-API-Key header)");
        }
        var row = credentials.key(key)
                .orElseThrow(() -> new ServiceException(ServiceException.Kind.UNAUTHORIZED, "Invalid API key"));
        return new McctlCaller("key:" + row.name(), "admin");
    }

    private static McctlCaller requireWhitelisted(Context ctx, McctlAuthConfig auth) {
        String ip = ctx.req().getRemoteAddr();
        if (auth.ipWhitelist().stream().noneMatch(c -> Cidr.parse(c).contains(ip))) {
            throw ServiceException.forbidden("IP " + ip + " is not in the whitelist");
        }
        return new McctlCaller("ip:" + ip, "admin");
    }

    private McctlCaller requireUser(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            ctx.header("WWW-Authenticate", "Basic realm=\"mcctl\"");
            throw new ServiceException(ServiceException.Kind.UNAUTHORIZED, "Missing credentials (HTTP Basic)");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ServiceException(ServiceException.Kind.UNAUTHORIZED, "Malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        String password = colon < 0 ? "" : decoded.substring(colon + 1);
        return credentials.check(user, password)
                .map(u -> new McctlCaller(u.username(), u.role()))
                .orElseThrow(() -> new ServiceException(ServiceException.Kind.UNAUTHORIZED, "Invalid username or password"));
    }

    /** A back end (BFF) in front of us names its user in X-User/X-Role; only trusted addresses may. */
    static McctlCaller proxied(Context ctx, McctlAuthConfig auth, McctlCaller caller) {
        String user = ctx.header("X-User");
        if (user == null || user.isBlank() || !trusted(ctx, auth)) {
            return caller;
        }
        String role = switch (String.valueOf(ctx.header("X-Role"))) {
            case "admin" -> "admin";
            case "user" -> "user"; // mcctl-console's own role: may act, its back end checked the server
            default -> "viewer";
        };
        return new McctlCaller(user, role);
    }

    static boolean trusted(Context ctx, McctlAuthConfig auth) {
        String ip = ctx.req().getRemoteAddr();
        return auth.trustedProxies().stream().anyMatch(c -> Cidr.parse(c).contains(ip));
    }
}
