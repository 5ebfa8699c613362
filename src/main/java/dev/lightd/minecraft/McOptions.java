package dev.lightd.minecraft;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lightd.ServiceException;
import dev.lightd.store.MinecraftStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A server's settings (mcctl-console's Options page) and its world reset. Settings are stored and
 * become the image's environment when the container is made for the next start (a container made
 * with other values is not reused); the whitelist switch also goes over RCON to a running server.
 */
public final class McOptions {

    private static final Logger log = LoggerFactory.getLogger(McOptions.class);

    /** The settings after a change, which keys changed, and whether a running server must restart for them. */
    public record Update(Map<String, Object> config, List<String> changedFields, boolean restartRequired) {}

    /** A reset world: its name, and the old folder's removal, run once the answer is sent. */
    public record Reset(String worldName, Runnable discard) {}

    private final MinecraftService servers;
    private final MinecraftStore store;
    private final WorldFolders worlds;

    McOptions(MinecraftService servers, MinecraftStore store, WorldFolders worlds) {
        this.servers = servers;
        this.store = store;
        this.worlds = worlds;
    }

    /** Every setting Lightd applies, with its value (set, else the server's, else vanilla's default). */
    public Map<String, Object> config(String name) {
        return view(servers.find(name));
    }

    private Map<String, Object> view(McServer s) {
        return McSettings.view(McSettings.parse(store.settings(s.name())), s.row().memory(), s.row().seed());
    }

    Object value(McServer s, String key) {
        return view(s).get(key);
    }

    /**
     * Applies a subset of settings: every key and value is checked first (a refusal changes
     * nothing), then the changed ones are stored.
     */
    public Update update(String name, JsonNode patch) {
        McServer s = servers.find(name);
        if (patch == null || !patch.isObject()) {
            throw ServiceException.badRequest("Request body must be a JSON object");
        }
        Map<String, Object> sent = new LinkedHashMap<>();
        patch.properties().forEach(e -> sent.put(e.getKey(), McSettings.check(e.getKey(), e.getValue())));
        synchronized (s) {
            Map<String, Object> before = view(s);
            Map<String, Object> stored = McSettings.parse(store.settings(s.name()));
            sent.forEach((k, v) -> {
                Object value = v == null ? McSettings.reset(k, s.row().memory()) : v;
                // the console sends its whole form back: a value never set and sent as it shows stays unset
                // (the image keeps its own), so the container gets only what the owner changed
                if (stored.containsKey(k) || !Objects.equals(before.get(k), value)) {
                    stored.put(k, value);
                }
            });
            store.setSettings(s.name(), McSettings.format(stored));
            Map<String, Object> after = view(s);
            List<String> changed = new ArrayList<>();
            for (String k : McSettings.BY_KEY.keySet()) {
                if (!Objects.equals(before.get(k), after.get(k))) {
                    changed.add(k);
                }
            }
            boolean running = s.running();
            if (running && changed.contains("enableWhitelist")) {
                servers.rcon(s, Boolean.TRUE.equals(after.get("enableWhitelist")) ? "whitelist on" : "whitelist off");
            }
            if (!changed.isEmpty()) {
                log.info("event=mc_settings_changed server={} keys={}", s.name(), String.join(",", changed));
            }
            return new Update(after, changed, running && !McSettings.needRestart(changed).isEmpty());
        }
    }

    /**
     * Replaces a stopped server's world folder by an empty one (the server generates a new world at
     * its next start). The old folder is moved aside in one rename and removed by {@code discard}.
     */
    public Reset resetWorld(String name) {
        McServer s = servers.find(name);
        String[] world = new String[1];
        Path[] old = new Path[1];
        // under the power lock, so no start runs meanwhile
        MinecraftService.await(s.server().submit("reset-world", p -> {
            if (s.running()) {
                throw ServiceException.conflict("Server '" + s.name() + "' is running; stop it before resetting its world");
            }
            world[0] = s.row().world();
            servers.runningOn(world[0]).ifPresent(c -> {
                throw ServiceException.conflict("World '" + world[0] + "' is in use by running server " + c);
            });
            old[0] = worlds.moveAside(world[0]);
        }));
        log.info("event=mc_world_reset server={} world={}", s.name(), world[0]);
        return new Reset(world[0], () -> worlds.discard(old[0]));
    }
}
