package dev.lightd.http.lightd;

import dev.lightd.auth.MintedToken;
import dev.lightd.auth.TokenService;
import dev.lightd.auth.TokenTtl;
import dev.lightd.http.JsonBody;
import io.javalin.Javalin;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

final class TokenRoutes {

    private TokenRoutes() {}

    static void register(Javalin app, TokenService tokens) {
        app.post("/auth/tokens", ctx -> {
            JsonBody body = JsonBody.parseOptional(ctx.body());
            var ttl = TokenTtl.parse(body.optionalString("ttl").orElse("1h"));
            boolean removeOnUse = body.optionalBool("remove_on_use").orElse(false);
            MintedToken minted = tokens.mint(ttl, removeOnUse);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("token", minted.token());
            out.put("expires_at", DateTimeFormatter.ISO_INSTANT.format(minted.expiresAt()));
            ctx.json(out);
        }, Access.MASTER);
    }
}
