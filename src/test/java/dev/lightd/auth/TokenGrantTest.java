package dev.lightd.auth;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.Collections;

/** Scope names and bindings as POST /auth/tokens reads them, and what a grant lets through. */
class TokenGrantTest {

    private static final String V1 = "d6764075-c5f1-4045-9fb3-85315b85cb0f";
    private static final String V2 = "0b0b0b0b-c5f1-4045-9fb3-85315b85cb0f";

    private static TokenGrant parse(List<String> scopes, List<String> containers, List<String> volumes) {
        return TokenGrant.parse(Optional.ofNullable(scopes), Optional.ofNullable(containers),
                Optional.ofNullable(volumes), id -> {
                    if (V1.startsWith(id) && id.length() >= 8) {
                        return V1;
                    }
                    throw ServiceException.badRequest("Invalid volumes: '" + id + "': Volume not found");
                });
    }

    @Test
    void everyScopeNameIsRead() {
        for (Scope scope : Scope.values()) {
            assertThat(parse(List.of(scope.wire()), null, null).scopes()).containsExactly(scope);
        }
        assertThat(parse(List.of("console", "files:read", "console"), null, null).scopes())
                .containsExactlyInAnyOrder(Scope.CONSOLE, Scope.FILES_READ);
    }

    @Test
    void noScopesMeansUnscoped() {
        TokenGrant g = parse(null, null, null);
        assertThat(g).isEqualTo(TokenGrant.UNSCOPED);
        assertThat(g.unscoped()).isTrue();
        assertThat(g.bound()).isFalse();
        assertThat(g.allowsContainer("anything")).isTrue();
        assertThat(g.allowsVolume(V2)).isTrue();
    }

    @Test
    void unknownOrEmptyScopesAreRefused() {
        assertThatThrownBy(() -> parse(List.of("console", "files"), null, null))
                .isInstanceOf(ServiceException.class)
                .hasMessageStartingWith("Invalid scopes: unknown scope 'files' (known: console, power,");
        assertThatThrownBy(() -> parse(List.of("CONSOLE"), null, null))
                .hasMessageStartingWith("Invalid scopes: unknown scope 'CONSOLE'");
        assertThatThrownBy(() -> parse(List.of(), null, null))
                .hasMessageStartingWith("Invalid scopes: give at least one of console");
    }

    @Test
    void malformedBindingsAreRefused() {
        assertThatThrownBy(() -> parse(null, List.of(), null))
                .hasMessageStartingWith("Invalid containers: give at least one id");
        assertThatThrownBy(() -> parse(null, List.of("../etc"), null))
                .hasMessageStartingWith("Invalid containers: '../etc' is not a container id");
        assertThatThrownBy(() -> parse(null, null, List.of()))
                .hasMessageStartingWith("Invalid volumes: give at least one id");
        assertThatThrownBy(() -> parse(null, null, List.of("nosuchvolume")))
                .hasMessage("Invalid volumes: 'nosuchvolume': Volume not found");
        assertThatThrownBy(() -> parse(null, Collections.nCopies(101, "a"), null))
                .hasMessage("Invalid containers: at most 100 ids");
    }

    @Test
    void aConsoleTokenReachesOnlyItsContainersConsole() {
        TokenGrant g = parse(List.of("console"), List.of("minecraft-001"), null);
        assertThat(g.allows(Scope.CONSOLE)).isTrue();
        for (Scope other : Set.of(Scope.POWER, Scope.CONTAINERS, Scope.VOLUMES, Scope.FILES_READ,
                Scope.FILES_WRITE, Scope.PORTS, Scope.METRICS)) {
            assertThat(g.allows(other)).as(other.wire()).isFalse();
        }
        assertThat(g.bound()).isTrue();
        assertThat(g.allowsContainer("minecraft-001")).isTrue();
        assertThat(g.allowsContainer("minecraft-0011")).isFalse();
        assertThat(g.allowsContainer("MINECRAFT-001")).isFalse();
        assertThat(g.allowsVolume(V1)).as("bound to containers only: no volume").isFalse();
    }

    @Test
    void volumeBindingsAreResolvedToTheFullId() {
        TokenGrant g = parse(List.of("files:read"), null, List.of(V1.substring(0, 8)));
        assertThat(g.volumes()).containsExactly(V1);
        assertThat(g.allowsVolume(V1)).isTrue();
        assertThat(g.allowsVolume(V2)).isFalse();
        assertThat(g.allowsContainer("minecraft-001")).isFalse();
    }
}
