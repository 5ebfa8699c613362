package dev.lightd.minecraft;

import dev.lightd.fs.FolderTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Keeps what the engine's events do not tell: each running server's players (RCON "list") and
 * each world's size on disk. Reads answer from what it keeps, never from RCON or the disk.
 * Exits are not its business: the supervisor hears them from the engine.
 */
final class McRefresher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(McRefresher.class);

    private final McRcon rcon;
    private final Path worldsDir;
    private final Supplier<Collection<McServer>> servers;
    private final Duration period;
    private final Duration playersEvery;
    private final Thread thread;
    private volatile boolean closed;

    McRefresher(McRcon rcon, Path worldsDir, Supplier<Collection<McServer>> servers, Duration period,
                Duration playersEvery) {
        this.rcon = rcon;
        this.worldsDir = worldsDir;
        this.servers = servers;
        this.period = period;
        this.playersEvery = playersEvery;
        this.thread = Thread.ofVirtual().name("mc-refresh").start(this::loop);
    }

    private void loop() {
        long playersAt = 0;
        while (!closed) {
            try {
                Thread.sleep(period);
                boolean players = System.nanoTime() - playersAt >= playersEvery.toNanos();
                if (players) {
                    playersAt = System.nanoTime();
                }
                for (McServer s : servers.get()) {
                    s.worldSize(FolderTree.size(worldsDir.resolve(s.world())));
                    if (players && s.running()) {
                        refreshPlayers(s);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("event=mc_refresh_failed error=\"{}\"", e.getMessage());
            }
        }
    }

    private void refreshPlayers(McServer s) {
        try {
            Players p = Players.parse(rcon.client(s).command("list"));
            if (p != null) {
                s.players(p);
            }
        } catch (IOException | RuntimeException e) {
            rcon.close(s); // RCON not up yet (a starting server): asked again next time
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
