package dev.lightd.http.lightd;

import io.javalin.security.RouteRole;

/** Who may call a route of the Lightd face. */
public enum Access implements RouteRole {
    /** No token at all: /api/v1/public/*. */
    PUBLIC,
    /** The master token or a minted one. */
    TOKEN,
    /** Only the master token from config.json. */
    MASTER
}
