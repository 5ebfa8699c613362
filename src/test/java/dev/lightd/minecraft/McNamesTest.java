package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class McNamesTest {

    @Test
    void namesAreLowerCaseLettersDigitsDashAndUnderscore() {
        assertThat(McNames.server("it-survival_2")).isEqualTo("it-survival_2");
        assertThat(McNames.server("mc-it-survival")).isEqualTo("it-survival");
        assertThat(McNames.world("w_1")).isEqualTo("w_1");
    }

    @Test
    void hostileNamesAreRefusedNamingTheField() {
        for (String v : ServerSettingsTest.HOSTILE) {
            assertThatThrownBy(() -> McNames.server(v, "name")).as(v).isInstanceOf(ServiceException.class)
                    .hasMessageStartingWith("Invalid server name '").hasMessageContaining("(field 'name')");
            assertThatThrownBy(() -> McNames.world(v, "world")).as(v).isInstanceOf(ServiceException.class)
                    .hasMessageStartingWith("Invalid world name '").hasMessageContaining("(field 'world')");
        }
        for (String v : new String[] {"", "A", "a.b", "../x", "x".repeat(33), "mc-a\nb", "é"}) {
            assertThatThrownBy(() -> McNames.server(v, "serverName")).as(v).hasMessageContaining("(field 'serverName')");
        }
    }

    @Test
    void aPathNameIsRefusedWithoutAField() {
        assertThatThrownBy(() -> McNames.world("a b")).hasMessage(
                "Invalid world name 'a b': use 1-32 lower-case letters, digits, '-' or '_'");
    }

    @Test
    void shownEscapesControlAndFormatCharacters() {
        assertThat(McNames.shown("a\nb\u0000c\u202e")).isEqualTo("'a\\u000ab\\u0000c\\u202e'");
        assertThat(McNames.shown(null)).isEqualTo("null");
    }
}
