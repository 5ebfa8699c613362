package dev.lightd.http.mcctl;

import io.javalin.security.RouteRole;

/** Who may call a route of the mcctl face: anyone, any authenticated caller, or an admin. */
enum McctlAccess implements RouteRole {
    PUBLIC, READ, ACT
}
