package dev.lightd.http.lightd;

import dev.lightd.config.LiveConfig;
import dev.lightd.volume.VolumeService;
import io.javalin.Javalin;

/** Files and archives inside a volume. */
final class VolumeFileRoutes {

    private VolumeFileRoutes() {}

    static void register(Javalin app, VolumeService volumes, LiveConfig config) {
        // filled in by the fs work
    }
}
