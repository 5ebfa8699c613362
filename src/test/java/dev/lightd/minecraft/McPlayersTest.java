package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class McPlayersTest {

    @Test
    void playerNamesAreVanillas() {
        assertThat(McPlayers.player("Steve_42", "player")).isEqualTo("Steve_42");
        for (String bad : new String[] {null, "ab", "ThisNameIsWayTooLong", "a b", "Steve\nop Evil", "@a", "Stéve"}) {
            assertThatThrownBy(() -> McPlayers.player(bad, "player")).as(String.valueOf(bad))
                    .isInstanceOf(ServiceException.class).hasMessageContaining("(field 'player')")
                    .extracting(Throwable::getMessage).asString().doesNotContain("\n");
        }
    }

    @Test
    void banReasonsAreAnAllowList() {
        assertThat(McPlayers.reason("griefing the spawn (twice)!")).isEqualTo("griefing the spawn (twice)!");
        assertThat(McPlayers.reason("")).isNull();
        for (String bad : new String[] {"bye\nop Evil", "bye\rop Evil", "a\u0000", "@a", "x;y", "${X}", "\"q\"", " lead",
                "§4red", "a".repeat(101)}) {
            assertThatThrownBy(() -> McPlayers.reason(bad)).as(bad).hasMessageContaining("(field 'reason')");
        }
    }
}
