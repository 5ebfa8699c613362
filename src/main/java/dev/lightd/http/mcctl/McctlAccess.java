package dev.lightd.http.mcctl;

import io.javalin.security.RouteRole;

/**
 * Who may call a route of the mcctl face: anyone, any authenticated caller, a caller who may
 * change things (an admin, or mcctl-console's "user" whose server permission its back end checked),
 * or an admin only (purging the audit log).
 */
enum McctlAccess implements RouteRole {
    PUBLIC, READ, ACT, ADMIN
}
