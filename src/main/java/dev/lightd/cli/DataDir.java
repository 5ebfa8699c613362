package dev.lightd.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The data folder option shared by every command: --data, else $LIGHTD_DATA, else /var/lib/lightd. */
final class DataDir {

    static final String DEFAULT = "/var/lib/lightd";

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder (config.json, lightd.db, volumes). Default: $LIGHTD_DATA or " + DEFAULT)
    private Path data;

    Path path() {
        if (data != null) {
            return data.toAbsolutePath();
        }
        String env = System.getenv("LIGHTD_DATA");
        return Path.of(env != null && !env.isBlank() ? env : DEFAULT).toAbsolutePath();
    }
}
