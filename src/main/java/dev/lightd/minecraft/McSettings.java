package dev.lightd.minecraft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lightd.ServiceException;
import dev.lightd.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The settings mcctl-console edits on a server's Options page (its {@code ServerConfig} keys), each
 * with the variable itzg's image reads (the image writes them into {@code server.properties} at
 * start), a check and vanilla's default. Every value is checked against an allow-list when it
 * comes in: numbers in a range, booleans, one of a few words, or text of a few safe characters, so
 * none can become a second variable, a template or a second line of {@code server.properties}.
 */
final class McSettings {

    enum Kind { BOOL, INT, WORD, TEXT, SEED, MEMORY }

    /**
     * One setting. {@code words} maps the console's word to the image's value; {@code min}/{@code max}
     * bound a number.
     */
    record Setting(String key, String env, Kind kind, Object fallback, long min, long max, Map<String, String> words) {}

    /**
     * What a message of the Options page may hold: letters and digits of any script, space, and
     * {@code . _ , : ; ! ? + @ ( ) - # * / & ~ [ ] | §} (vanilla's colour codes); never '$', '{',
     * '}', '=', '%', quotes, backslash, backtick or a control character.
     */
    private static final Pattern TEXT = Pattern.compile("[\\p{L}\\p{N} ._,:;!?+@()\\-#*/&~\\[\\]|§]{0,150}");

    private static final List<Setting> ALL = List.of(
            words("difficulty", "DIFFICULTY", "easy", "peaceful", "easy", "normal", "hard"),
            words("gameMode", "MODE", "survival", "survival", "creative", "adventure", "spectator"),
            number("maxPlayers", "MAX_PLAYERS", 20, 1, 1000),
            bool("pvp", "PVP", true),
            bool("forceGamemode", "FORCE_GAMEMODE", false),
            bool("hardcore", "HARDCORE", false),
            bool("allowFlight", "ALLOW_FLIGHT", false),
            bool("allowNether", "ALLOW_NETHER", true),
            bool("enableCommandBlock", "ENABLE_COMMAND_BLOCK", false),
            number("spawnProtection", "SPAWN_PROTECTION", 16, 0, 1000),
            bool("spawnAnimals", "SPAWN_ANIMALS", true),
            bool("spawnMonsters", "SPAWN_MONSTERS", true),
            bool("spawnNpcs", "SPAWN_NPCS", true),
            new Setting("motd", "MOTD", Kind.TEXT, "A Minecraft Server", 0, 0, Map.of()),
            new Setting("levelType", "LEVEL_TYPE", Kind.WORD, "default", 0, 0, Map.of("default", "DEFAULT",
                    "flat", "FLAT", "largeBiomes", "LARGEBIOMES", "amplified", "AMPLIFIED", "buffet", "BUFFET")),
            new Setting("seed", "SEED", Kind.SEED, null, 0, 0, Map.of()),
            bool("generateStructures", "GENERATE_STRUCTURES", true),
            number("maxWorldSize", "MAX_WORLD_SIZE", 29999984, 1, 29999984),
            bool("onlineMode", "ONLINE_MODE", true),
            bool("enableWhitelist", "ENABLE_WHITELIST", false),
            bool("enforceWhitelist", "ENFORCE_WHITELIST", false),
            bool("enforceSecureProfile", "ENFORCE_SECURE_PROFILE", true),
            new Setting("memory", "MEMORY", Kind.MEMORY, null, 0, 0, Map.of()),
            bool("useAikarFlags", "USE_AIKAR_FLAGS", false),
            number("viewDistance", "VIEW_DISTANCE", 10, 3, 32),
            number("simulationDistance", "SIMULATION_DISTANCE", 10, 3, 32),
            number("maxTickTime", "MAX_TICK_TIME", 60000, -1, 86_400_000),
            number("pauseWhenEmptySeconds", "PAUSE_WHEN_EMPTY_SECONDS", 60, 0, 86_400));

    static final Map<String, Setting> BY_KEY = ALL.stream()
            .collect(Collectors.toMap(Setting::key, s -> s, (a, b) -> a, LinkedHashMap::new));

    /** Every variable a setting can give a container (besides those McContainer always gives). */
    static final Set<String> ENV_NAMES = ALL.stream().map(Setting::env).collect(Collectors.toUnmodifiableSet());

    /**
     * mcctl-console's other keys: known, but not settable here (RCON, the world, uid/gid, remote
     * consoles and config repositories are the daemon's own or could reach outside the container).
     */
    private static final Set<String> NOT_SUPPORTED = Set.of("level", "icon", "initMemory", "maxMemory", "jvmXxOpts",
            "enableAutopause", "autopauseTimeoutEst", "autopauseTimeoutInit", "autopausePeriod", "enableAutostop",
            "autostopTimeoutEst", "tz", "resourcePack", "enableRcon", "resourcePackSha1", "resourcePackEnforce",
            "resourcePackPrompt", "rconPassword", "rconPort", "stopDuration", "uid", "gid", "websocketConsole",
            "websocketAddress", "websocketPassword", "websocketDisableAuthentication", "websocketAllowedOrigins",
            "websocketLogBufferSize", "enableSsh", "paperConfigRepo", "pufferfishConfigRepo", "purpurConfigRepo",
            "serverPropertiesRepoUrl");

    private McSettings() {}

    private static Setting bool(String key, String env, boolean fallback) {
        return new Setting(key, env, Kind.BOOL, fallback, 0, 0, Map.of());
    }

    private static Setting number(String key, String env, long fallback, long min, long max) {
        return new Setting(key, env, Kind.INT, fallback, min, max, Map.of());
    }

    private static Setting words(String key, String env, String fallback, String... values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : values) {
            m.put(v, v);
        }
        return new Setting(key, env, Kind.WORD, fallback, 0, 0, m);
    }

    /**
     * Checks one setting a client sent and answers the value to store (a Boolean, Long or String),
     * or null for "back to the default" (JSON null, or an empty text or seed). A refusal is a 400
     * naming the key.
     */
    static Object check(String key, JsonNode value) {
        Setting s = BY_KEY.get(key);
        if (s == null) {
            throw ServiceException.badRequest(NOT_SUPPORTED.contains(key)
                    ? "Setting " + McNames.shown(key) + " cannot be changed through Lightd"
                    : "Unknown setting " + McNames.shown(key));
        }
        if (value == null || value.isNull()) {
            return null;
        }
        return switch (s.kind()) {
            case BOOL -> {
                if (!value.isBoolean()) {
                    throw invalid(key, value, "true or false");
                }
                yield value.booleanValue();
            }
            case INT -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()
                        || value.longValue() < s.min() || value.longValue() > s.max()) {
                    throw invalid(key, value, "a whole number from " + s.min() + " to " + s.max());
                }
                yield value.longValue();
            }
            case WORD -> {
                if (!value.isTextual() || !s.words().containsKey(value.textValue())) {
                    throw invalid(key, value, "one of " + String.join(", ", s.words().keySet()));
                }
                yield value.textValue();
            }
            case TEXT -> {
                String t = text(key, value);
                if (!TEXT.matcher(t).matches() || t.startsWith(" ") || t.endsWith(" ")) {
                    throw invalid(key, value, "at most 150 letters, digits, spaces and . _ , : ; ! ? + @ ( ) - # * / &"
                            + " ~ [ ] | § (no leading or trailing space)");
                }
                yield t.isEmpty() ? null : t;
            }
            case SEED -> {
                try {
                    yield ServerSettings.seed(text(key, value));
                } catch (ServiceException e) {
                    throw ServiceException.badRequest(e.getMessage() + " (field 'seed')");
                }
            }
            case MEMORY -> {
                try {
                    yield ServerSettings.of(null, null, text(key, value), null).memory();
                } catch (ServiceException e) {
                    throw ServiceException.badRequest(e.getMessage() + " (field 'memory')");
                }
            }
        };
    }

    private static String text(String key, JsonNode value) {
        if (!value.isTextual()) {
            throw invalid(key, value, "a string");
        }
        return value.textValue();
    }

    private static ServiceException invalid(String key, JsonNode value, String expected) {
        String shown = value.isTextual() ? McNames.shown(value.textValue()) : McNames.shown(value.toString());
        return ServiceException.badRequest("Invalid value " + shown + " for setting '" + key + "': use " + expected);
    }

    /** The variables the stored settings give a container (only those that were set). */
    static Map<String, String> env(Map<String, Object> stored) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : stored.entrySet()) {
            Setting s = BY_KEY.get(e.getKey());
            if (s == null || e.getValue() == null || "".equals(e.getValue())) {
                continue; // a key from a later version, or a seed set back to the server's own
            }
            String v = String.valueOf(e.getValue());
            out.put(s.env(), s.kind() == Kind.WORD ? s.words().getOrDefault(v, v) : v);
        }
        return out;
    }

    /** Every setting with its value: the stored one, else the server's own (memory, seed), else vanilla's default. */
    static Map<String, Object> view(Map<String, Object> stored, String memory, String seed) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Setting s : ALL) {
            Object v = stored.get(s.key());
            if (v == null || "".equals(v)) {
                v = switch (s.kind()) {
                    case MEMORY -> memory;
                    case SEED -> seed;
                    default -> s.fallback();
                };
            }
            if (v != null) {
                out.put(s.key(), v);
            }
        }
        return out;
    }

    /**
     * What a setting set back to its default (null) is stored as: the default itself, so the
     * variable is still given to the container and a container made with the old value is not
     * reused ("" for a seed: the server's own seed, which McContainer gives as SEED).
     */
    static Object reset(String key, String memory) {
        Setting s = BY_KEY.get(key);
        return switch (s.kind()) {
            case MEMORY -> memory;
            case SEED -> "";
            default -> s.fallback();
        };
    }

    /** Keys whose value a change needs a (re)start for; the whitelist switch is also sent over RCON. */
    static List<String> needRestart(List<String> changed) {
        List<String> out = new ArrayList<>(changed);
        out.remove("enableWhitelist");
        return out;
    }

    /** Settings as stored (a JSON object); anything unreadable counts as none set. */
    static Map<String, Object> parse(String json) {
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            Json.MAPPER.readTree(json).properties().forEach(e -> out.put(e.getKey(), plain(e.getValue())));
            return out;
        } catch (JsonProcessingException e) {
            return new LinkedHashMap<>();
        }
    }

    static String format(Map<String, Object> settings) {
        try {
            return Json.MAPPER.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object plain(JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        return v.isNull() ? null : v.asText();
    }
}
