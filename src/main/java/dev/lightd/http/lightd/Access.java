package dev.lightd.http.lightd;

import dev.lightd.auth.Scope;
import io.javalin.security.RouteRole;

import java.util.List;
import java.util.Optional;

/**
 * Who may call a route of the Lightd face, and, in {@link #RULES}, the one table of which scope
 * each route needs and which resource its {@code {id}} names. The face refuses to start when a
 * {@link #TOKEN} route has no rule, and a minted token is refused on any route without one.
 */
public enum Access implements RouteRole {
    /** No token at all: /api/v1/public/*. */
    PUBLIC,
    /** The master token or a minted one whose scopes and bindings allow it ({@link #RULES}). */
    TOKEN,
    /** Only the master token from config.json: /auth/tokens*, /remote/config*, /activity. */
    MASTER;

    /** What the route's {@code {id}} path parameter names, checked against a token's bindings. */
    enum Resource { NONE, CONTAINER, VOLUME }

    /** Method is the HTTP method, or WS for the console socket and WS_POWER for power frames sent on it. */
    record Rule(String method, String path, Scope scope, Resource resource) {}

    static final String WS = "WS";
    static final String WS_POWER = "WS_POWER";
    static final String CONSOLE_PATH = "/ws/{id}";

    static final List<Rule> RULES = List.of(
            // console
            rule(WS, CONSOLE_PATH, Scope.CONSOLE, Resource.CONTAINER),
            // power actions: the routes, and {"event":"power"} frames on the console
            rule("POST", "/containers/{id}/start", Scope.POWER, Resource.CONTAINER),
            rule("POST", "/containers/{id}/stop", Scope.POWER, Resource.CONTAINER),
            rule("POST", "/containers/{id}/kill", Scope.POWER, Resource.CONTAINER),
            rule("POST", "/containers/{id}/restart", Scope.POWER, Resource.CONTAINER),
            rule(WS_POWER, CONSOLE_PATH, Scope.POWER, Resource.CONTAINER),
            // containers
            rule("POST", "/containers", Scope.CONTAINERS, Resource.NONE),
            rule("GET", "/containers", Scope.CONTAINERS, Resource.NONE),
            rule("GET", "/containers/{id}", Scope.CONTAINERS, Resource.CONTAINER),
            rule("DELETE", "/containers/{id}", Scope.CONTAINERS, Resource.CONTAINER),
            rule("POST", "/containers/{id}/reinstall", Scope.CONTAINERS, Resource.CONTAINER),
            rule("POST", "/containers/{id}/rebind-network", Scope.CONTAINERS, Resource.CONTAINER),
            // volumes
            rule("POST", "/volumes", Scope.VOLUMES, Resource.NONE),
            rule("GET", "/volumes", Scope.VOLUMES, Resource.NONE),
            rule("GET", "/volumes/{id}", Scope.VOLUMES, Resource.VOLUME),
            rule("DELETE", "/volumes/{id}", Scope.VOLUMES, Resource.VOLUME),
            // files in a volume
            rule("GET", "/volumes/{id}/files", Scope.FILES_READ, Resource.VOLUME),
            rule("GET", "/volumes/{id}/files/content", Scope.FILES_READ, Resource.VOLUME),
            rule("GET", "/volumes/{id}/files/download", Scope.FILES_READ, Resource.VOLUME),
            rule("POST", "/volumes/{id}/files/upload", Scope.FILES_WRITE, Resource.VOLUME),
            rule("POST", "/volumes/{id}/files", Scope.FILES_WRITE, Resource.VOLUME),
            rule("DELETE", "/volumes/{id}/files", Scope.FILES_WRITE, Resource.VOLUME),
            rule("POST", "/volumes/{id}/folders", Scope.FILES_WRITE, Resource.VOLUME),
            rule("POST", "/volumes/{id}/copy", Scope.FILES_WRITE, Resource.VOLUME),
            rule("POST", "/volumes/{id}/move", Scope.FILES_WRITE, Resource.VOLUME),
            rule("POST", "/volumes/{id}/compress", Scope.FILES_WRITE, Resource.VOLUME),
            rule("POST", "/volumes/{id}/decompress", Scope.FILES_WRITE, Resource.VOLUME),
            // port pool
            rule("POST", "/network/ports", Scope.PORTS, Resource.NONE),
            rule("GET", "/network/ports", Scope.PORTS, Resource.NONE),
            rule("GET", "/network/ports/random", Scope.PORTS, Resource.NONE),
            rule("GET", "/network/ports/{ip}/{port}", Scope.PORTS, Resource.NONE),
            rule("PUT", "/network/ports/{ip}/{port}/use", Scope.PORTS, Resource.NONE),
            rule("DELETE", "/network/ports/{ip}/{port}", Scope.PORTS, Resource.NONE),
            rule("POST", "/network/ports/bulk-delete", Scope.PORTS, Resource.NONE),
            // metrics
            rule("GET", "/metrics", Scope.METRICS, Resource.NONE));

    private static Rule rule(String method, String path, Scope scope, Resource resource) {
        return new Rule(method, path, scope, resource);
    }

    /** HEAD is answered by a GET route, so it needs what the GET needs. */
    static Optional<Rule> rule(String method, String path) {
        String m = "HEAD".equals(method) ? "GET" : method;
        return RULES.stream().filter(r -> r.method().equals(m) && r.path().equals(path)).findFirst();
    }
}
