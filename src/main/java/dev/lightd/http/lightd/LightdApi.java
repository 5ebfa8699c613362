package dev.lightd.http.lightd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.lightd.audit.AuditLog;
import dev.lightd.auth.TokenService;
import dev.lightd.config.LiveConfig;
import dev.lightd.container.ContainerService;
import dev.lightd.http.BodyLimit;
import dev.lightd.http.Connectors;
import dev.lightd.http.HttpMetrics;
import dev.lightd.http.JsonErrorHandler;
import dev.lightd.http.MalformedRequests;
import dev.lightd.http.RequestLog;
import dev.lightd.network.PortPoolService;
import dev.lightd.volume.VolumeService;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;

/** The Lightd face (port 8070): routes, auth and error format. No rules live here. */
public final class LightdApi {

    public record Services(
            LiveConfig config,
            TokenService tokens,
            VolumeService volumes,
            PortPoolService ports,
            ContainerService containers,
            PrometheusMeterRegistry metrics,
            AuditLog audit,
            Clock clock) {}

    private LightdApi() {}

    public static Javalin create(Services s) {
        HttpMetrics metrics = new HttpMetrics(s.metrics(), "lightd");
        LightdAuth auth = new LightdAuth(s.config(), s.tokens(), s.volumes());
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.useVirtualThreads = true;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = s.config().get().server().maxBodyBytes();
            cfg.jetty.modifyServletContextHandler(h -> {
                MalformedRequests.install(h, LightdErrors::body);
                BodyLimit.install(h, s.config().get().server().maxBodyBytes(), VolumeFileRoutes.UPLOAD_PATHS);
                h.setErrorHandler(new JsonErrorHandler("lightd", (status, text) -> LightdErrors.body(text)));
            });
            cfg.jsonMapper(new JavalinJackson(new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE), false));
            cfg.jetty.modifyServer(server -> server.setErrorHandler(
                    new JsonErrorHandler("lightd", (status, text) -> LightdErrors.body(text))));
            var server = s.config().get().server();
            cfg.jetty.addConnector((jetty, http) -> Connectors.bounded(jetty, http, server.host(), server.port()));
            cfg.requestLogger.http(new RequestLog("lightd", metrics)::record);
        });
        app.beforeMatched(auth::check);
        // one after-handler records every action of every route, including routes added later
        app.after(LightdAudit.recorder(s.audit(), s.clock())::after);
        LightdErrors.register(app);
        PublicRoutes.register(app);
        TokenRoutes.register(app, s.tokens(), s.volumes());
        VolumeRoutes.register(app, s.volumes());
        VolumeFileRoutes.register(app, s.volumes(), s.config());
        PortRoutes.register(app, s.ports());
        RemoteRoutes.register(app, s.config());
        ContainerRoutes.register(app, s.containers());
        ConsoleSocket consoles = ConsoleSocket.register(app, s.containers(), auth, s.config(), s.tokens(), s.audit());
        s.metrics().gauge("lightd_console_sockets", consoles, ConsoleSocket::openSockets);
        ActivityRoutes.register(app, s.audit());
        if (s.config().get().monitoring().metricsEnabled()) {
            // read at start like the listening ports; switched off, /metrics is an unknown route (404)
            app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(s.metrics().scrape()), Access.TOKEN);
        }
        checkEveryRouteHasARule(app);
        return app;
    }

    /** A TOKEN route without a rule in {@link Access#RULES} would refuse every minted token: caught at start. */
    private static void checkEveryRouteHasARule(Javalin app) {
        for (var parsed : app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            var endpoint = parsed.getEndpoint();
            if (endpoint.getRoles().contains(Access.TOKEN)
                    && Access.rule(endpoint.getMethod().name(), endpoint.getPath()).isEmpty()) {
                throw new IllegalStateException("route " + endpoint.getMethod() + " " + endpoint.getPath()
                        + " has no rule in Access.RULES");
            }
        }
    }
}
