package dev.lightd.minecraft;

import dev.lightd.ServiceException;
import dev.lightd.config.LiveConfig;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.ContainerSpec;
import dev.lightd.runtime.ContainerState;
import dev.lightd.runtime.EngineLabels;
import dev.lightd.runtime.Hardening;
import dev.lightd.runtime.ImageNotFoundException;
import dev.lightd.store.MinecraftStore;
import dev.lightd.store.MinecraftStore.ServerRow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.function.Supplier;

/** Creates the engine container mc-<name> a server runs in, from its row (create.go in Wings terms). */
final class McContainer {

    static final int RCON_PORT = 25575;

    private final ContainerRuntime runtime;
    private final MinecraftStore store;
    private final LiveConfig config;
    private final Path worldsDir;
    private final ServerFolders serverFolders;
    private final Supplier<Hardening> hardening;

    McContainer(ContainerRuntime runtime, MinecraftStore store, LiveConfig config, Path worldsDir,
                ServerFolders serverFolders, Supplier<Hardening> hardening) {
        this.serverFolders = serverFolders;
        this.hardening = hardening;
        this.runtime = runtime;
        this.store = store;
        this.config = config;
        this.worldsDir = worldsDir;
    }

    /** A container made for a server: its engine id and the environment it was given. */
    record Created(String id, Map<String, String> env) {}

    /**
     * The last check before the engine: every value the container gets was checked when it came
     * in (ServerSettings, McNames), but a row written before those checks existed is not trusted.
     * A value with a control character, '$', '{', '}', '=', '`', backslash or a quote could become a
     * second variable, a template or a shell expansion in the image's entrypoint: refused.
     */
    static void refuseUnsafe(Map<String, String> env, String server) {
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!safe(e.getValue())) {
                throw ServiceException.internal("Refusing to create the container of server '" + server
                        + "': its stored " + e.getKey() + " holds characters that could reach the image's"
                        + " entrypoint as more than a value; recreate the server", null);
            }
        }
    }

    /** The variables the daemon gives a server's container; the image may bring others. */
    static final Set<String> KEYS = Set.of("EULA", "TYPE", "VERSION", "MEMORY", "LEVEL", "SEED",
            "ENABLE_RCON", "RCON_PORT", "RCON_PASSWORD");

    /** The daemon's variables and every setting's: all a container of ours may be given. */
    static final Set<String> ALL_KEYS = Stream.concat(KEYS.stream(), McSettings.ENV_NAMES.stream())
            .collect(Collectors.toUnmodifiableSet());

    /**
     * Whether an existing container can be started as it is: one made by an older daemon from an
     * unchecked row, or with less confinement than the config now asks, is made again.
     */
    boolean adoptable(ContainerState existing) {
        return safeEnv(existing.env()) && existing.hardening().meets(hardening.get());
    }

    /**
     * Whether an existing container's variables of {@link #ALL_KEYS} all pass the check: one made by
     * an older daemon from an unchecked row is not adopted but made again (and so checked).
     */
    static boolean safeEnv(Map<String, String> existingEnv) {
        return existingEnv.entrySet().stream().filter(e -> ALL_KEYS.contains(e.getKey())).allMatch(e -> safe(e.getValue()));
    }

    private static boolean safe(String v) {
        return v != null && v.chars().noneMatch(c -> Character.isISOControl(c) || "${}=`\\\"'".indexOf(c) >= 0);
    }

    /**
     * The environment a container made now from the row would get: the daemon's variables, then the
     * settings the owner changed (checked when they came in, and again by {@link #refuseUnsafe}).
     * A setting's MEMORY or SEED replaces the row's.
     */
    Map<String, String> env(ServerRow r) {
        Map<String, Object> settings = McSettings.parse(store.settings(r.name()));
        Map<String, String> fromSettings = McSettings.env(settings);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("EULA", "TRUE");
        env.put("TYPE", r.type());
        env.put("VERSION", r.version());
        env.put("MEMORY", fromSettings.getOrDefault("MEMORY", r.memory()));
        env.put("LEVEL", r.world());
        // a world created with a seed brings it; else the server's own
        String ownSeed = fromSettings.getOrDefault("SEED", r.seed());
        String seed = store.world(r.world()).map(MinecraftStore.WorldRow::seed)
                .filter(ws -> !ws.isBlank()).orElse(ownSeed);
        if (seed != null && !seed.isBlank()) {
            env.put("SEED", seed);
        }
        env.put("ENABLE_RCON", "true");
        env.put("RCON_PORT", Integer.toString(RCON_PORT));
        env.put("RCON_PASSWORD", r.rconPassword());
        fromSettings.forEach(env::putIfAbsent);
        return env;
    }

    /**
     * Whether an existing container was made with the environment a new one would get: the daemon's
     * variables, and every setting the owner ever set (a setting set back to its default is stored
     * as that default, so it is still given and compared). Variables of settings never set are the
     * image's own and not compared. A mismatch means a changed setting: a new container is made.
     */
    boolean current(Map<String, String> existingEnv, ServerRow r) {
        Map<String, String> wanted = env(r);
        Set<String> keys = new HashSet<>(KEYS);
        keys.addAll(wanted.keySet());
        for (String key : keys) {
            String had = existingEnv.get(key);
            if (!Objects.equals(had == null || had.isEmpty() ? null : had, wanted.get(key))) {
                return false;
            }
        }
        return true;
    }

    /** (Re)creates the container from the row: env, world mount, RCON on 127.0.0.1 only, memory cap. */
    Created recreate(ServerRow r) {
        String name = McNames.container(r.name());
        runtime.remove(name);
        Map<String, String> env = env(r);
        refuseUnsafe(env, r.name());
        Path worldDir = worldsDir.resolve(r.world());
        try {
            Files.createDirectories(worldDir);
            Files.createDirectories(serverFolders.of(r.name()));
        } catch (IOException e) {
            throw ServiceException.internal("Cannot create world folder: " + e.getMessage(), e);
        }
        ContainerSpec spec = new ContainerSpec(name, config.get().mcctl().image(), null, List.of(), null, env,
                Map.of(EngineLabels.MCCTL_SERVER, r.name()),
                List.of(new ContainerSpec.Mount(serverFolders.of(r.name()).toString(), "/data", false),
                        new ContainerSpec.Mount(worldDir.toString(), "/data/" + r.world(), false)),
                ServerSettings.containerLimit(env.get("MEMORY")), 0,
                List.of(new ContainerSpec.PortBinding("127.0.0.1", r.rconPort(), RCON_PORT, "tcp")),
                EngineLabels.NETWORK, hardening.get());
        String id;
        try {
            id = runtime.create(spec);
        } catch (ImageNotFoundException e) {
            throw ServiceException.internal("Failed to create Docker container: image not found", e);
        }
        return new Created(id, Map.copyOf(env));
    }
}
