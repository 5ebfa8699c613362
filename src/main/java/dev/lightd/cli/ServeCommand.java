package dev.lightd.cli;

import dev.lightd.Daemon;
import dev.lightd.config.ConfigFile;
import dev.lightd.config.LightdConfig;
import dev.lightd.config.LiveConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

@Command(name = "serve", description = "Run the daemon (creates config.json with a fresh token on first start).")
public final class ServeCommand implements Callable<Integer> {

    @Mixin
    private DataDir dataDir;

    @Override
    public Integer call() throws InterruptedException {
        ConfigFile file = new ConfigFile(dataDir.path());
        boolean firstStart = !file.exists();
        LightdConfig config = file.loadOrCreate();
        Daemon daemon = Daemon.start(dataDir.path(), new LiveConfig(file, config));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "lightd-shutdown"));
        printWelcome(file, config, daemon, firstStart);
        stopped.await();
        return 0;
    }

    private static void printWelcome(ConfigFile file, LightdConfig config, Daemon daemon, boolean firstStart) {
        String host = config.server().host();
        String callHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        String url = "http://" + callHost + ":" + daemon.lightdPort();
        String token = config.authorization().token();
        var out = System.out;
        out.println();
        out.println("Lightd " + LightdConfig.CURRENT_VERSION + " is running.");
        out.println("  Lightd API : " + url + "   (listening on " + host + ":" + daemon.lightdPort() + ")");
        out.println("  mcctl API  : http://" + callHost + ":" + daemon.mcctlPort() + "   (key: bin/lightd mcctl key create)");
        out.println("  Config     : " + file.path() + (firstStart ? "   (just created)" : ""));
        out.println("  Token      : " + token);
        out.println("Try:");
        out.println("  curl " + url + "/api/v1/public/ping");
        out.println("  curl -H 'Authorization: Bearer " + token + "' -X POST " + url + "/volumes");
        out.println();
        out.flush();
    }
}
