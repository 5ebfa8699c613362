package dev.lightd.http.mcctl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightd.audit.AuditLog;
import dev.lightd.auth.LoginThrottle;
import dev.lightd.auth.McctlCredentials;
import dev.lightd.config.LiveConfig;
import dev.lightd.http.BodyLimit;
import dev.lightd.http.Connectors;
import dev.lightd.http.HttpMetrics;
import dev.lightd.http.JsonErrorHandler;
import dev.lightd.http.MalformedRequests;
import dev.lightd.http.RequestLog;
import dev.lightd.minecraft.MinecraftService;
import dev.lightd.minecraft.ServerFiles;
import dev.lightd.minecraft.WorldService;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.time.Duration;

/** The mcctl face (port 5001): routes, auth modes and error format. No rules live here. */
public final class McctlApi {

    public record Services(LiveConfig config, MinecraftService servers, WorldService worlds,
                           McctlCredentials credentials, Clock clock, PrometheusMeterRegistry metrics,
                           AuditLog audit, ServerFiles files) {}

    private McctlApi() {}

    public static Javalin create(Services s) {
        HttpMetrics metrics = new HttpMetrics(s.metrics(), "mcctl");
        McctlAuthFilter auth = new McctlAuthFilter(s.config(), s.credentials());
        LoginThrottle throttle = new LoginThrottle(s.clock(), () -> s.config().get().mcctl().auth().maxFailedLogins(),
                () -> Duration.ofSeconds(s.config().get().mcctl().auth().failedLoginWindowSeconds()));
        Hostnames hostnames = new Hostnames(() -> s.config().get().mcctl());
        var server = s.config().get().server();
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.useVirtualThreads = true;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = server.maxBodyBytes();
            cfg.jetty.modifyServletContextHandler(h -> {
                MalformedRequests.install(h, McctlErrors::bodyText);
                BodyLimit.install(h, server.maxBodyBytes(), FileRoutes.UPLOAD_PATHS);
                h.setErrorHandler(new JsonErrorHandler("mcctl", McctlErrors::bodyText));
            });
            cfg.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
            cfg.jetty.modifyServer(jetty -> jetty.setErrorHandler(new JsonErrorHandler("mcctl", McctlErrors::bodyText)));
            cfg.jetty.addConnector((jetty, http) -> Connectors.bounded(jetty, http, server.host(), server.mcctlPort()));
            cfg.requestLogger.http(new RequestLog("mcctl", metrics)::record);
        });
        app.beforeMatched(auth::check);
        // one after-handler records every action of every route, including routes added later
        app.after(McctlAudit.recorder(s.audit(), s.clock())::after);
        McctlErrors.register(app);
        AuthRoutes.register(app, s.credentials(), throttle, s.config());
        ServerRoutes.register(app, s.servers(), s.worlds(), hostnames);
        HostnameRoutes.register(app, s.servers(), hostnames);
        LogRoutes.register(app, s.servers(), s.config());
        StatusRoutes.register(app, s.servers(), () -> s.config().get().mcctl().heartbeatSeconds());
        WorldRoutes.register(app, s.worlds(), s.servers());
        PlayerRoutes.register(app, s.servers().players());
        OptionRoutes.register(app, s.servers());
        AuditRoutes.register(app, s.audit(), () -> s.config().get().mcctl().heartbeatSeconds());
        FileRoutes.register(app, s.files(), s.config());
        return app;
    }
}
