package dev.lightd.cli;

import dev.lightd.Daemon;
import dev.lightd.config.ConfigFile;
import dev.lightd.config.LiveConfig;
import dev.lightd.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The training run for the JVM's ahead-of-time cache (bin/lightd makes the cache once per build):
 * {@code train --prepare --data DIR} makes a store and config in an empty folder, then
 * {@code train --data DIR}, run with -XX:AOTCacheOutput, starts the daemon on it and loopback ports,
 * asks a few routes of both faces and stops. The cache then holds, linked, the classes that a start
 * and a first request need: most of what makes a cold start slow (docs/performance.md). Every class
 * in the cache is loaded at each start, so the training must load nothing a start does not: hence
 * the store is made beforehand (a restart skips the migrations, so Flyway stays out of the cache),
 * and the requests go over a plain socket (an HTTP client would bring its TLS stack). Needs no
 * Docker engine; works only on a folder it prepared itself.
 */
@Command(name = "train", hidden = true, description = "Training run for the start-up cache (used by bin/lightd).")
public final class TrainCommand implements Callable<Integer> {

    private static final String TOKEN = "lightd_training_run_token_0000000000";
    private static final String MARKER = ".lightd-training";

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "An empty folder, made for this run.")
    private Path data;

    @Option(names = "--prepare", description = "Make the store and config in the empty folder, then stop.")
    private boolean prepare;

    @Override
    public Integer call() throws IOException {
        if (prepare) {
            try (Stream<Path> entries = Files.list(data)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(data + " is not empty");
                }
            }
            Files.writeString(data.resolve(MARKER), "");
            Files.writeString(data.resolve("config.json"), """
                    {"server": {"host": "127.0.0.1", "port": %d, "mcctl_port": %d},
                     "authorization": {"enabled": true, "token": "%s"}}
                    """.formatted(freePort(), freePort(), TOKEN));
            Database.open(data.resolve("lightd.db")).close();
            return 0;
        }
        if (!Files.exists(data.resolve(MARKER))) {
            throw new IllegalStateException(data + " was not made by train --prepare");
        }
        ConfigFile file = new ConfigFile(data);
        try (Daemon daemon = Daemon.start(data, new LiveConfig(file, file.loadOrCreate()))) {
            for (int round = 0; round < 3; round++) {
                get(daemon.lightdPort(), "/api/v1/public/ping", "");
                get(daemon.lightdPort(), "/volumes", "Authorization: Bearer " + TOKEN);
                get(daemon.lightdPort(), "/containers", "Authorization: Bearer " + TOKEN);
                get(daemon.lightdPort(), "/network/ports", "Authorization: Bearer " + TOKEN);
                get(daemon.lightdPort(), "/volumes", ""); // a refusal: the error path
                get(daemon.mcctlPort(), "/health", "");
                get(daemon.mcctlPort(), "/api/servers", "");
            }
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void get(int port, String path, String header) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            String extra = header.isEmpty() ? "" : header + "\r\n";
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
