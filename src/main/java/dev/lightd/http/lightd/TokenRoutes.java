package dev.lightd.http.lightd;

import dev.lightd.ServiceException;
import dev.lightd.auth.MintedToken;
import dev.lightd.auth.Scope;
import dev.lightd.auth.TokenGrant;
import dev.lightd.auth.TokenService;
import dev.lightd.auth.TokenTtl;
import dev.lightd.http.JsonBody;
import dev.lightd.volume.VolumeService;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Minting (the seed's route, plus scopes and bindings), listing and revoking tokens: master only. */
final class TokenRoutes {

    private static final Logger log = LoggerFactory.getLogger(TokenRoutes.class);

    private TokenRoutes() {}

    static void register(Javalin app, TokenService tokens, VolumeService volumes) {
        app.post("/auth/tokens", ctx -> {
            JsonBody body = JsonBody.parseOptional(ctx.body());
            var ttl = TokenTtl.parse(body.optionalString("ttl").orElse("1h"));
            boolean removeOnUse = body.optionalBool("remove_on_use").orElse(false);
            TokenGrant grant = TokenGrant.parse(body.optionalStrings("scopes"), body.optionalStrings("containers"),
                    body.optionalStrings("volumes"), id -> {
                        try {
                            return volumes.find(id).id();
                        } catch (ServiceException e) {
                            throw ServiceException.badRequest("Invalid volumes: '" + id + "': " + e.getMessage());
                        }
                    });
            MintedToken minted = tokens.mint(ttl, removeOnUse, grant);
            log.info("event=token_minted id={} scopes={} bound={} remove_on_use={}", minted.id(),
                    grant.unscoped() ? "all" : grant.scopes().stream().map(Scope::wire).sorted().toList(),
                    grant.bound(), removeOnUse);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("token", minted.token());
            out.put("expires_at", iso(minted.expiresAt()));
            out.put("id", minted.id());
            ctx.json(out);
        }, Access.MASTER);

        app.get("/auth/tokens", ctx -> ctx.json(Map.of("tokens", tokens.list().stream().map(t -> {
            Map<String, Object> bindings = new LinkedHashMap<>();
            if (t.grant().containers() != null) {
                bindings.put("containers", t.grant().containers());
            }
            if (t.grant().volumes() != null) {
                bindings.put("volumes", t.grant().volumes());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", t.id());
            out.put("scopes", t.grant().unscoped() ? null
                    : t.grant().scopes().stream().sorted().map(Scope::wire).toList());
            out.put("bindings", bindings);
            out.put("expires_at", iso(t.expiresAt()));
            out.put("remove_on_use", t.removeOnUse());
            out.put("created_at", iso(t.createdAt()));
            out.put("used_at", t.usedAt() == null ? null : iso(t.usedAt()));
            return out;
        }).toList())), Access.MASTER);

        app.delete("/auth/tokens/{id}", ctx -> {
            String id = ctx.pathParam("id");
            if (!tokens.revoke(id)) {
                throw ServiceException.notFound("Token not found");
            }
            log.info("event=token_revoked id={}", id);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("message", "Token revoked");
            out.put("id", id);
            ctx.json(out);
        }, Access.MASTER);
    }

    private static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
