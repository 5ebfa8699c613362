package dev.lightd.minecraft;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightd.ServiceException;
import dev.lightd.json.Json;
import dev.lightd.minecraft.PlayerFiles.ListFile;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A server's whitelist, operators and bans. A running server is changed over RCON with vanilla's
 * own commands (it looks players up and saves its files itself); a stopped one has its files
 * edited directly, atomically, and reads them at its next start. Lists are always read from the
 * files. Every player name and ban reason is checked against an allow-list before anything is
 * sent or written, so nothing a client sends reaches an RCON command unchecked.
 */
public final class McPlayers {

    private static final Pattern PLAYER = Pattern.compile("[A-Za-z0-9_]{3,16}");
    /**
     * A ban reason: at most 100 letters or digits of any script, spaces and {@code . , : ! ? ( ) - _ # + / &};
     * no control or format character (a second command, a hidden one), quote, ';', '$', '{', '}', '@', '§'
     * (a target selector, a colour code) or backslash. Vanilla takes the rest of the line as the reason.
     */
    private static final Pattern REASON = Pattern.compile("[\\p{L}\\p{N} .,:!?()\\-_#+/&]{1,100}");
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");
    private static final String DEFAULT_REASON = "Banned by an operator.";

    public record Player(String name, String uuid) {}

    public record Operator(String name, String uuid, int level, boolean bypassesPlayerLimit) {
        public String role() {
            return switch (level) {
                case 1 -> "Moderator";
                case 2 -> "Gamemaster";
                case 3 -> "Admin";
                default -> "Owner";
            };
        }
    }

    public record Ban(String name, String uuid, String reason, String created, String source, String expires) {}

    /** What a change did: vanilla's answer (or ours for a file edit) and where it went (rcon, file). */
    public record Result(String message, String source) {}

    private final MinecraftService servers;
    private final McOptions options;
    private final PlayerFiles files;
    private final Clock clock;

    McPlayers(MinecraftService servers, McOptions options, PlayerFiles files, Clock clock) {
        this.servers = servers;
        this.options = options;
        this.files = files;
        this.clock = clock;
    }

    /** A player name as vanilla allows it, else a 400 naming the field. */
    static String player(String name, String field) {
        if (name == null || !PLAYER.matcher(name).matches()) {
            throw ServiceException.badRequest("Invalid player name " + McNames.shown(name) + " (field '" + field
                    + "'): use 3-16 letters, digits or '_'");
        }
        return name;
    }

    static String reason(String reason) {
        if (reason == null || reason.isEmpty()) {
            return null;
        }
        if (!REASON.matcher(reason).matches() || reason.startsWith(" ") || reason.endsWith(" ")) {
            throw ServiceException.badRequest("Invalid reason " + McNames.shown(reason) + " (field 'reason'): at most"
                    + " 100 letters, digits, spaces and . , : ! ? ( ) - _ # + / & (no leading or trailing space)");
        }
        return reason;
    }

    /** Where a change to this server goes now: "rcon" when it runs, else "file". */
    public boolean isRunning(String name) {
        return servers.isRunning(name);
    }

    // ---- whitelist ----

    public List<Player> whitelist(String name) {
        McServer s = servers.find(name);
        return files.read(s.name(), ListFile.WHITELIST).stream()
                .map(o -> new Player(o.path("name").asText(), o.path("uuid").asText(""))).toList();
    }

    public boolean whitelistEnabled(String name) {
        return Boolean.TRUE.equals(options.value(servers.find(name), "enableWhitelist"));
    }

    public Result whitelistAdd(String name, String player) {
        McServer s = servers.find(name);
        String p = player(player, "player");
        synchronized (s) {
            if (s.running()) {
                return rcon(s, "whitelist add " + p);
            }
            ObjectNode entry = entry(s, p);
            edit(s, ListFile.WHITELIST, p, entry);
            return new Result("Added " + p + " to the whitelist (read by the server at its next start)", "file");
        }
    }

    public Result whitelistRemove(String name, String player) {
        return remove(name, player, ListFile.WHITELIST, "whitelist remove",
                p -> "Removed " + p + " from the whitelist", p -> p + " is not whitelisted");
    }

    /** Switches the whitelist: stored as the server's enableWhitelist setting, and over RCON when it runs. */
    public void setWhitelistEnabled(String name, boolean enabled) {
        options.update(name, Json.MAPPER.createObjectNode().put("enableWhitelist", enabled));
    }

    // ---- operators ----

    public List<Operator> ops(String name) {
        McServer s = servers.find(name);
        return files.read(s.name(), ListFile.OPS).stream().map(McPlayers::operator).toList();
    }

    private static Operator operator(ObjectNode o) {
        return new Operator(o.path("name").asText(), o.path("uuid").asText(""), o.path("level").asInt(4),
                o.path("bypassesPlayerLimit").asBoolean(false));
    }

    /**
     * Makes a player an operator. Vanilla's {@code op} takes no level (it gives the server's
     * op-permission-level, 4): a running server is sent {@code op} and another level is then written
     * to its ops.json, which it reads at its next start (as mcctl-api does); a stopped server's
     * ops.json is written directly.
     */
    public Operator opAdd(String name, String player, long requested) {
        int level = checkLevel(requested);
        McServer s = servers.find(name);
        String p = player(player, "player");
        synchronized (s) {
            if (s.running()) {
                rcon(s, "op " + p);
                Operator made = findOp(s, p).orElseThrow(() -> ServiceException.internal("Server '" + s.name()
                        + "' answered op " + p + " but its ops.json does not list the player", null));
                return made.level() == level ? made : writeLevel(s, made, level);
            }
            ObjectNode entry = entry(s, p);
            entry.put("level", level);
            entry.put("bypassesPlayerLimit", false);
            edit(s, ListFile.OPS, p, entry);
            return operator(entry);
        }
    }

    public Operator opLevel(String name, String player, long requested) {
        int level = checkLevel(requested);
        McServer s = servers.find(name);
        String p = player(player, "player");
        synchronized (s) {
            Operator current = findOp(s, p).orElseThrow(() -> ServiceException.notFound("Operator '" + p + "' not found"));
            if (current.level() == level) {
                return current;
            }
            return writeLevel(s, current, level);
        }
    }

    /**
     * A level in ops.json: vanilla has no command for it. A running server reads the file at its
     * next start; until then it keeps the level it had, and an op or deop sent to it meanwhile
     * rewrites the file from its memory (docs/mcctl.md).
     */
    private Operator writeLevel(McServer s, Operator current, int level) {
        List<ObjectNode> entries = files.read(s.name(), ListFile.OPS);
        entries.stream().filter(named(current.name())).forEach(o -> o.put("level", level));
        files.write(s.name(), ListFile.OPS, entries);
        return new Operator(current.name(), current.uuid(), level, current.bypassesPlayerLimit());
    }

    public Result opRemove(String name, String player) {
        McServer s = servers.find(name);
        String p = player(player, "player");
        synchronized (s) {
            if (findOp(s, p).isEmpty()) {
                throw ServiceException.notFound("Operator '" + p + "' not found");
            }
            if (s.running()) {
                return rcon(s, "deop " + p);
            }
            edit(s, ListFile.OPS, p, null);
            return new Result("Made " + p + " no longer a server operator", "file");
        }
    }

    private Optional<Operator> findOp(McServer s, String p) {
        return files.read(s.name(), ListFile.OPS).stream().filter(named(p)).map(McPlayers::operator).findFirst();
    }

    private static int checkLevel(long level) {
        if (level < 1 || level > 4) {
            throw ServiceException.badRequest("Invalid level " + level + " (field 'level'): use 1 to 4");
        }
        return (int) level;
    }

    // ---- bans ----

    public List<Ban> bans(String name) {
        McServer s = servers.find(name);
        return files.read(s.name(), ListFile.BANS).stream().map(o -> new Ban(o.path("name").asText(),
                o.path("uuid").asText(""), o.path("reason").asText(""), o.path("created").asText(""),
                o.path("source").asText(""), o.path("expires").asText("forever"))).toList();
    }

    public Result ban(String name, String player, String reason) {
        McServer s = servers.find(name);
        String p = player(player, "player");
        String r = reason(reason);
        synchronized (s) {
            if (s.running()) {
                return rcon(s, r == null ? "ban " + p : "ban " + p + " " + r);
            }
            ObjectNode entry = entry(s, p);
            entry.put("created", CREATED.format(clock.instant().atOffset(ZoneOffset.UTC)));
            entry.put("source", "Server");
            entry.put("expires", "forever");
            entry.put("reason", r == null ? DEFAULT_REASON : r);
            edit(s, ListFile.BANS, p, entry);
            return new Result("Banned " + p + ": " + (r == null ? DEFAULT_REASON : r), "file");
        }
    }

    public Result pardon(String name, String player) {
        return remove(name, player, ListFile.BANS, "pardon",
                p -> "Unbanned " + p, p -> "Nothing changed. The player isn't banned");
    }

    // ---- shared ----

    /** Takes a player off a list: vanilla's command to a running server, else an edit of its file. */
    private Result remove(String name, String player, ListFile file, String command,
                          UnaryOperator<String> removed, UnaryOperator<String> absent) {
        McServer s = servers.find(name);
        String p = player(player, "player");
        synchronized (s) {
            if (s.running()) {
                return rcon(s, command + " " + p);
            }
            return new Result(edit(s, file, p, null) ? removed.apply(p) : absent.apply(p), "file");
        }
    }

    private Result rcon(McServer s, String command) {
        String answer = servers.rcon(s, command);
        if (answer.contains("That player does not exist")) {
            throw ServiceException.notFound("Player '" + command.split(" ")[command.startsWith("whitelist") ? 2 : 1]
                    + "' not found: " + answer.strip());
        }
        if (answer.startsWith("Unknown or incomplete command")) {
            throw ServiceException.internal("Server '" + s.name() + "' does not know the command '"
                    + command.split(" ")[0] + "': " + answer.strip(), null);
        }
        return new Result(answer.strip(), "rcon");
    }

    /**
     * A new entry for a stopped server's file. Vanilla keys its lists by UUID: in offline mode that
     * is derived from the name (as vanilla does); in online mode it is the player's Mojang account,
     * which only the running server looks up, so a stopped online-mode server is refused.
     */
    private ObjectNode entry(McServer s, String p) {
        if (!Boolean.FALSE.equals(options.value(s, "onlineMode"))) {
            throw ServiceException.conflict("Server '" + s.name() + "' is stopped and in online mode: the player's"
                    + " UUID comes from Mojang through the running server; start the server first (or set onlineMode"
                    + " to false)");
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("uuid", UUID.nameUUIDFromBytes(("OfflinePlayer:" + p).getBytes(StandardCharsets.UTF_8)).toString());
        o.put("name", p);
        return o;
    }

    /** Replaces the player's entry (any case of the name) with {@code entry}, or removes it; answers whether it was there. */
    private boolean edit(McServer s, ListFile list, String p, ObjectNode entry) {
        List<ObjectNode> entries = files.read(s.name(), list);
        boolean had = entries.removeIf(named(p));
        if (entry != null) {
            entries.add(entry);
        }
        if (had || entry != null) {
            files.write(s.name(), list, entries);
        }
        return had;
    }

    private static Predicate<ObjectNode> named(String p) {
        return o -> o.path("name").asText().equalsIgnoreCase(p);
    }
}
