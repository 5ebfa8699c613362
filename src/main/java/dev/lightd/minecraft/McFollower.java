package dev.lightd.minecraft;

import dev.lightd.container.ConsoleEvent;
import dev.lightd.runtime.ContainerRuntime;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows a running server: one attach stream into its console hub (join and leave lines update
 * the players at once) and one stats stream, whatever the number of readers.
 */
final class McFollower {

    private static final Pattern JOINED = Pattern.compile("\\]: (\\S+) joined the game");
    private static final Pattern LEFT = Pattern.compile("\\]: (\\S+) left the game");

    private final ContainerRuntime runtime;
    private final McRcon rcon;

    McFollower(ContainerRuntime runtime, McRcon rcon) {
        this.runtime = runtime;
        this.rcon = rcon;
    }

    void follow(McServer s, String id) {
        s.followed = id;
        s.attachment = runtime.attach(id, line -> onLine(s, line), () -> { });
        s.statsStream = runtime.stats(id, sample -> s.stats = sample);
    }

    void unfollow(McServer s) {
        if (s.attachment != null) {
            s.attachment.close();
            s.attachment = null;
        }
        if (s.statsStream != null) {
            try {
                s.statsStream.close();
            } catch (IOException ignored) {
                // ended
            }
            s.statsStream = null;
        }
        s.followed = null;
        rcon.close(s);
    }

    /** The server is down: streams closed, live figures cleared, readers told. */
    void markStopped(McServer s) {
        unfollow(s);
        s.status = "exited";
        s.stats = null;
        s.players = Players.NONE;
        s.console.publish(ConsoleEvent.state("exit"));
    }

    private void onLine(McServer s, String line) {
        s.console.console(line);
        Matcher j = JOINED.matcher(line);
        if (j.find()) {
            s.players = s.players.joined(j.group(1));
        }
        Matcher l = LEFT.matcher(line);
        if (l.find()) {
            s.players = s.players.left(l.group(1));
        }
    }
}
