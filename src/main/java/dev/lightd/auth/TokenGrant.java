package dev.lightd.auth;

import dev.lightd.ServiceException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What a minted token may reach: its scopes (null: minted without {@code scopes}, so every scope, as
 * before scopes existed) and its resource bindings. A token with any binding reaches only the
 * resources it names: a route naming a container needs that container in {@code containers}, one
 * naming a volume that volume in {@code volumes}, and routes naming neither (lists, creation, ports,
 * metrics) are refused.
 */
public record TokenGrant(Set<Scope> scopes, List<String> containers, List<String> volumes) {

    /** Minted without scopes nor bindings: every route but the master-only ones. */
    public static final TokenGrant UNSCOPED = new TokenGrant(null, null, null);

    static final int MAX_BINDINGS = 100;
    private static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");

    public TokenGrant {
        scopes = scopes == null ? null : Set.copyOf(scopes);
        containers = containers == null ? null : List.copyOf(containers);
        volumes = volumes == null ? null : List.copyOf(volumes);
    }

    /**
     * Reads the mint request's optional fields. Scope names must be known; bindings must be non-empty
     * lists of well-formed ids; {@code resolveVolume} turns a volume id or prefix into the full id
     * (and refuses an unknown one). Every refusal is a 400 naming the field.
     */
    public static TokenGrant parse(Optional<List<String>> scopes, Optional<List<String>> containers,
                                   Optional<List<String>> volumes, UnaryOperator<String> resolveVolume) {
        Set<Scope> parsedScopes = scopes.map(TokenGrant::parseScopes).orElse(null);
        List<String> parsedContainers = containers.map(list -> {
            checkList("containers", list);
            for (String id : list) {
                if (!CONTAINER_ID.matcher(id).matches()) {
                    throw ServiceException.badRequest("Invalid containers: '" + id
                            + "' is not a container id (1-63 letters, digits, '_', '.' or '-')");
                }
            }
            return List.copyOf(new LinkedHashSet<>(list));
        }).orElse(null);
        List<String> parsedVolumes = volumes.map(list -> {
            checkList("volumes", list);
            List<String> full = new ArrayList<>();
            for (String id : list) {
                String resolved = resolveVolume.apply(id);
                if (!full.contains(resolved)) {
                    full.add(resolved);
                }
            }
            return List.copyOf(full);
        }).orElse(null);
        return new TokenGrant(parsedScopes, parsedContainers, parsedVolumes);
    }

    static Set<Scope> parseScopes(List<String> names) {
        if (names.isEmpty()) {
            throw ServiceException.badRequest("Invalid scopes: give at least one of " + Scope.names()
                    + " (or leave scopes out for an unscoped token)");
        }
        Set<Scope> out = EnumSet.noneOf(Scope.class);
        for (String name : names) {
            out.add(Scope.of(name).orElseThrow(() -> ServiceException.badRequest(
                    "Invalid scopes: unknown scope '" + name + "' (known: " + Scope.names() + ")")));
        }
        return out;
    }

    private static void checkList(String field, List<String> list) {
        if (list.isEmpty()) {
            throw ServiceException.badRequest("Invalid " + field + ": give at least one id (or leave "
                    + field + " out for no binding)");
        }
        if (list.size() > MAX_BINDINGS) {
            throw ServiceException.badRequest("Invalid " + field + ": at most " + MAX_BINDINGS + " ids");
        }
    }

    public boolean unscoped() {
        return scopes == null;
    }

    public boolean allows(Scope scope) {
        return scopes == null || scopes.contains(scope);
    }

    /** Bound to some resources: routes that name none of them are refused. */
    public boolean bound() {
        return containers != null || volumes != null;
    }

    public boolean allowsContainer(String internalId) {
        return !bound() || (containers != null && containers.contains(internalId));
    }

    /** The full volume id (a route's prefix resolved first). */
    public boolean allowsVolume(String volumeId) {
        return !bound() || (volumes != null && volumes.contains(volumeId));
    }
}
