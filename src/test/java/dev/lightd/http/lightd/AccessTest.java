package dev.lightd.http.lightd;

import dev.lightd.auth.Scope;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The one table of which scope each Lightd route needs. */
class AccessTest {

    @Test
    void everyRouteHasOneRuleAndEveryScopeIsUsed() {
        Set<String> seen = new HashSet<>();
        Set<Scope> used = new HashSet<>();
        for (Access.Rule r : Access.RULES) {
            assertThat(seen.add(r.method() + " " + r.path())).as("duplicate rule %s", r).isTrue();
            used.add(r.scope());
        }
        assertThat(used).containsExactlyInAnyOrder(Scope.values());
    }

    @Test
    void routesOfAFamilyNeedItsScope() {
        assertThat(Access.rule("DELETE", "/volumes/{id}").orElseThrow().scope()).isEqualTo(Scope.VOLUMES);
        assertThat(Access.rule("POST", "/volumes/{id}/files").orElseThrow().scope()).isEqualTo(Scope.FILES_WRITE);
        assertThat(Access.rule("GET", "/volumes/{id}/files/content").orElseThrow().scope()).isEqualTo(Scope.FILES_READ);
        assertThat(Access.rule("HEAD", "/volumes/{id}/files/content").orElseThrow().scope()).isEqualTo(Scope.FILES_READ);
        assertThat(Access.rule(Access.WS, Access.CONSOLE_PATH).orElseThrow().scope()).isEqualTo(Scope.CONSOLE);
        assertThat(Access.rule(Access.WS_POWER, Access.CONSOLE_PATH).orElseThrow().scope()).isEqualTo(Scope.POWER);
        assertThat(Access.rule("POST", "/containers/{id}/kill").orElseThrow().resource()).isEqualTo(Access.Resource.CONTAINER);
        assertThat(Access.rule("POST", "/auth/tokens")).as("master only: no rule").isEmpty();
        assertThat(Access.rule("GET", "/remote/config")).isEmpty();
    }
}
