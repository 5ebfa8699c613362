package dev.lightd.http.lightd;

import dev.lightd.ServiceException;
import dev.lightd.auth.Caller;
import dev.lightd.auth.TokenService;
import dev.lightd.config.LiveConfig;
import dev.lightd.volume.VolumeService;
import io.javalin.http.Context;

import java.util.Locale;

/**
 * The checks every Lightd route but the public ones goes through: vendor header, bearer token, then
 * for a minted token the scope and bindings the route's rule in {@link Access#RULES} asks for. A
 * single-use token is used up only by a request it is allowed to make.
 */
final class LightdAuth {

    static final String CALLER = "lightd.caller";
    static final String UNAUTHORIZED = "Missing or invalid authorization token";
    static final String NOT_ALLOWED = "Token not allowed for this route";

    private final LiveConfig config;
    private final TokenService tokens;
    private final VolumeService volumes;

    LightdAuth(LiveConfig config, TokenService tokens, VolumeService volumes) {
        this.config = config;
        this.tokens = tokens;
        this.volumes = volumes;
    }

    void check(Context ctx) {
        if (ctx.routeRoles().contains(Access.PUBLIC)) {
            return;
        }
        Caller caller = checkToken(ctx);
        // known before the checks below, so the audit log names who was refused
        ctx.attribute(CALLER, caller);
        if (ctx.routeRoles().contains(Access.MASTER) && !caller.isMaster()) {
            throw ServiceException.forbidden("This route needs the master token");
        }
        if (!caller.isMaster()) {
            Access.Rule rule = Access.rule(ctx.method().name(), ctx.endpointHandlerPath())
                    .orElseThrow(LightdAuth::notAllowed);
            authorize(caller, rule, ctx.pathParamMap().get("id"));
        }
        redeem(caller);
    }

    /** Vendor header, then bearer token (or ?token=); also used before a WebSocket upgrade. Uses nothing up. */
    Caller checkToken(Context ctx) {
        var auth = config.get().authorization();
        var vendor = auth.vendor();
        if (vendor.enabled()) {
            String value = ctx.header(vendor.header());
            if (value == null || !value.toLowerCase(Locale.ROOT).contains(vendor.value().toLowerCase(Locale.ROOT))) {
                throw ServiceException.forbidden("Invalid vendor header");
            }
        }
        return auth.enabled()
                ? tokens.identify(presentedToken(ctx)).orElseThrow(LightdAuth::unauthorized)
                : Caller.MASTER;
    }

    /** 403 unless the caller's scopes and bindings allow the rule on this resource id. */
    void authorize(Caller caller, Access.Rule rule, String id) {
        if (caller.isMaster()) {
            return;
        }
        var grant = caller.grant();
        if (!grant.allows(rule.scope())) {
            throw notAllowed();
        }
        boolean allowed = switch (rule.resource()) {
            case NONE -> !grant.bound();
            case CONTAINER -> grant.allowsContainer(id);
            case VOLUME -> !grant.bound() || grant.allowsVolume(resolveVolume(id));
        };
        if (!allowed) {
            throw notAllowed();
        }
    }

    /** Uses a single-use token up; the loser of a race gets 401 like any used token. */
    void redeem(Caller caller) {
        if (!tokens.redeem(caller)) {
            throw unauthorized();
        }
    }

    /** A bound token learns nothing about volumes outside its bindings: unknown or ambiguous is refused the same. */
    private String resolveVolume(String idOrPrefix) {
        try {
            return volumes.find(idOrPrefix).id();
        } catch (ServiceException e) {
            throw notAllowed();
        }
    }

    static ServiceException notAllowed() {
        return ServiceException.forbidden(NOT_ALLOWED);
    }

    private static ServiceException unauthorized() {
        return new ServiceException(ServiceException.Kind.UNAUTHORIZED, UNAUTHORIZED);
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
