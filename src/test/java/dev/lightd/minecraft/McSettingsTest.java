package dev.lightd.minecraft;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lightd.ServiceException;
import dev.lightd.json.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class McSettingsTest {

    private static JsonNode v(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    @Test
    void goodValuesAreStoredAsTyped() throws Exception {
        assertThat(McSettings.check("pvp", v("false"))).isEqualTo(false);
        assertThat(McSettings.check("maxPlayers", v("42"))).isEqualTo(42L);
        assertThat(McSettings.check("difficulty", v("\"hard\""))).isEqualTo("hard");
        assertThat(McSettings.check("motd", v("\"§6Welcome: have fun!\""))).isEqualTo("§6Welcome: have fun!");
        assertThat(McSettings.check("memory", v("\"2g\""))).isEqualTo("2G");
        assertThat(McSettings.check("motd", v("\"\""))).as("empty: back to the default").isNull();
        assertThat(McSettings.check("viewDistance", v("null"))).isNull();
    }

    @Test
    void badKeysAndValuesAreRefusedNamingTheKey() throws Exception {
        assertThatThrownBy(() -> McSettings.check("foo", v("1"))).hasMessage("Unknown setting 'foo'");
        assertThatThrownBy(() -> McSettings.check("rconPassword", v("\"x\"")))
                .hasMessage("Setting 'rconPassword' cannot be changed through Lightd");
        for (var e : List.of(Map.entry("maxPlayers", "0"), Map.entry("viewDistance", "33"), Map.entry("pvp", "\"true\""),
                Map.entry("difficulty", "\"HARD\""), Map.entry("motd", "\"a\\nEULA=FALSE\""),
                Map.entry("levelType", "\"minecraft:flat\""), Map.entry("spawnProtection", "1.5"),
                Map.entry("motd", "\"${RCON_PASSWORD}\""))) {
            assertThatThrownBy(() -> McSettings.check(e.getKey(), v(e.getValue()))).as(e.toString())
                    .isInstanceOf(ServiceException.class).hasMessageContaining("'" + e.getKey() + "'")
                    .extracting(Throwable::getMessage).asString().doesNotContain("\n");
        }
    }

    @Test
    void onlySetValuesBecomeTheImagesVariables() {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("difficulty", "hard");
        stored.put("levelType", "largeBiomes");
        stored.put("maxPlayers", 42L);
        stored.put("pvp", false);
        assertThat(McSettings.env(stored)).containsExactly(Map.entry("DIFFICULTY", "hard"),
                Map.entry("LEVEL_TYPE", "LARGEBIOMES"), Map.entry("MAX_PLAYERS", "42"), Map.entry("PVP", "false"));
        assertThat(McSettings.parse(McSettings.format(stored))).isEqualTo(stored);
        assertThat(McSettings.parse("not json")).isEmpty();
    }

    @Test
    void theViewFillsDefaultsAndTheServersOwnValues() {
        Map<String, Object> view = McSettings.view(Map.of("maxPlayers", 42L), "4G", null);
        assertThat(view.get("maxPlayers")).isEqualTo(42L);
        assertThat(view.get("difficulty")).isEqualTo("easy");
        assertThat(view.get("memory")).isEqualTo("4G");
        assertThat(view).doesNotContainKey("seed");
        assertThat(McSettings.needRestart(List.of("enableWhitelist"))).isEmpty();
    }
}
