package dev.lightd.cli;

import dev.lightd.config.ConfigException;
import dev.lightd.config.ConfigFile;
import dev.lightd.config.LightdConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

@Command(name = "token", description = "Show or change the master token in config.json.",
        subcommands = {TokenCommand.What.class, TokenCommand.Reset.class, TokenCommand.Set.class})
public final class TokenCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: lightd token what|reset|set <token>");
    }

    @Command(name = "what", description = "Print the master token.")
    static final class What implements Runnable {
        @Mixin
        private DataDir dataDir;

        @Override
        public void run() {
            System.out.println(new ConfigFile(dataDir.path()).load().authorization().token());
        }
    }

    @Command(name = "reset", description = "Replace the master token with a fresh one and print it.")
    static final class Reset implements Runnable {
        @Mixin
        private DataDir dataDir;

        @Override
        public void run() {
            replace(dataDir, ConfigFile.newMasterToken());
        }
    }

    @Command(name = "set", description = "Set the master token (at least 16 characters).")
    static final class Set implements Runnable {
        @Mixin
        private DataDir dataDir;

        @Parameters(paramLabel = "TOKEN")
        private String token;

        @Override
        public void run() {
            if (token.length() < 16 || !token.matches("[\\x21-\\x7e]+")) {
                throw new ConfigException("token: must be at least 16 printable characters without spaces");
            }
            replace(dataDir, token);
        }
    }

    /** Writes the new token and asks a running daemon (authorised by the old one) to reload it. */
    private static void replace(DataDir dataDir, String newToken) {
        ConfigFile file = new ConfigFile(dataDir.path());
        LightdConfig old;
        try {
            old = file.load();
        } catch (ConfigException unusable) {
            old = null;
        }
        file.replaceToken(newToken);
        System.out.println(newToken);
        System.err.println(old == null ? "The new token applies at the daemon's next start." : tellRunningDaemon(old));
    }

    private static String tellRunningDaemon(LightdConfig old) {
        String host = old.server().host().equals("0.0.0.0") ? "127.0.0.1" : old.server().host();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(
                            URI.create("http://" + host + ":" + old.server().port() + "/remote/config/reload"))
                    .header("Authorization", "Bearer " + old.authorization().token())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            return res.statusCode() == 200 ? "The running daemon now uses the new token."
                    : "The running daemon did not reload (HTTP " + res.statusCode() + "); restart it.";
        } catch (Exception e) {
            return "No daemon answered on port " + old.server().port() + "; the new token applies at its next start.";
        }
    }
}
