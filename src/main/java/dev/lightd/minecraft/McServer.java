package dev.lightd.minecraft;

import dev.lightd.container.ConsoleHub;
import dev.lightd.container.CrashPolicy;
import dev.lightd.runtime.Attachment;
import dev.lightd.runtime.StatsSample;
import dev.lightd.store.MinecraftStore.ServerRow;

import java.io.Closeable;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Minecraft server as the daemon knows it, kept live in the background (engine state, stats
 * stream, console, RCON player list) so reads never wait on the engine or on RCON.
 */
final class McServer {

    final String name;
    final ConsoleHub console = new ConsoleHub(1000);
    final ReentrantLock lock = new ReentrantLock();

    volatile ServerRow row;
    volatile String status = "created";
    volatile String health = "none";
    volatile Instant startedAt;
    volatile Map<String, String> env = Map.of();
    volatile StatsSample stats;
    volatile Players players = Players.NONE;
    volatile long playersRefreshedAt;
    /** Should be running: start sets it, stop clears it (kept in the store as wanted_running). */
    volatile boolean wanted;
    /** Crashes seen lately, for the restart backoff; when the next restart is due (null: none). */
    final CrashPolicy crashes;
    volatile Instant restartAt;
    /** Bytes of the world folder, measured by the refresh loop rather than per request. */
    volatile Long worldSize;

    /** The engine container id being followed (attach + stats), or null. */
    String followed;
    Attachment attachment;
    Closeable statsStream;
    RconClient rcon;

    McServer(ServerRow row, java.time.Clock clock) {
        this.name = row.name();
        this.row = row;
        this.crashes = new CrashPolicy(clock);
    }

    String container() {
        return McNames.container(name);
    }

    boolean running() {
        return "running".equals(status);
    }

    /** The world in use: the running container's LEVEL, else the one assigned for the next start. */
    String world() {
        return running() ? env.getOrDefault("LEVEL", row.world()) : row.world();
    }
}
