package dev.lightd.http.lightd;

import dev.lightd.ServiceException;
import dev.lightd.auth.Caller;
import dev.lightd.auth.TokenService;
import dev.lightd.config.LiveConfig;
import io.javalin.http.Context;

import java.util.Locale;

/** The checks every Lightd route but the public ones goes through: vendor header, then bearer token. */
final class LightdAuth {

    static final String CALLER = "lightd.caller";
    static final String UNAUTHORIZED = "Missing or invalid authorization token";

    private final LiveConfig config;
    private final TokenService tokens;

    LightdAuth(LiveConfig config, TokenService tokens) {
        this.config = config;
        this.tokens = tokens;
    }

    void check(Context ctx) {
        if (ctx.routeRoles().contains(Access.PUBLIC)) {
            return;
        }
        Caller caller = checkToken(ctx);
        if (ctx.routeRoles().contains(Access.MASTER) && !caller.isMaster()) {
            throw ServiceException.forbidden("This route needs the master token");
        }
        ctx.attribute(CALLER, caller);
    }

    /** Vendor header, then bearer token (or ?token=); also used before a WebSocket upgrade. */
    Caller checkToken(Context ctx) {
        var auth = config.get().authorization();
        var vendor = auth.vendor();
        if (vendor.enabled()) {
            String value = ctx.header(vendor.header());
            if (value == null || !value.toLowerCase(Locale.ROOT).contains(vendor.value().toLowerCase(Locale.ROOT))) {
                throw ServiceException.forbidden("Invalid vendor header");
            }
        }
        Caller caller = auth.enabled()
                ? tokens.authenticate(presentedToken(ctx))
                        .orElseThrow(() -> new ServiceException(ServiceException.Kind.UNAUTHORIZED, UNAUTHORIZED))
                : Caller.MASTER;
        return caller;
    }

    /** Bearer header first; {@code ?token=} for WebSocket clients in browsers, which cannot set headers. */
    static String presentedToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        return ctx.queryParam("token");
    }
}
