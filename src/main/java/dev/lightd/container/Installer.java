package dev.lightd.container;

import dev.lightd.runtime.Attachment;
import dev.lightd.runtime.ContainerSpec;
import dev.lightd.runtime.EngineUnavailableException;
import dev.lightd.runtime.ImageNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Runs a container's install script in a separate short-lived container of its image, with the
 * volume at /home/container; the output goes to the console and to the install log.
 */
final class Installer {

    private static final Logger log = LoggerFactory.getLogger(Installer.class);

    private final ContainerContext ctx;

    Installer(ContainerContext ctx) {
        this.ctx = ctx;
    }

    Path logFile(String id) {
        return ctx.dataDir().resolve("logs").resolve(id).resolve("install.log");
    }

    /** Called with the container's lock held; leaves it ready (with a server container) or failed. */
    void install(ManagedContainer c) {
        ctx.events().state(c, "installing");
        InstallScript script = new InstallScript(c.record.installScript());
        try {
            if (!script.isEmpty()) {
                int exit = runScript(c, script);
                if (exit != 0) {
                    fail(c, "Install script exited with code " + exit);
                    return;
                }
            } else if (!ctx.runtime().imageExists(c.record.image())) {
                fail(c, ServerContainer.IMAGE_NOT_FOUND);
                return;
            }
            ServerContainer.recreate(ctx, c);
            ctx.save(c, c.record.withInstallState(InstallState.READY, null, ctx.now()));
            ctx.events().state(c, "ready");
        } catch (ImageNotFoundException e) {
            fail(c, ServerContainer.IMAGE_NOT_FOUND);
        } catch (dev.lightd.ServiceException e) {
            fail(c, e.getMessage());
        } catch (EngineUnavailableException e) {
            fail(c, "Install failed: Docker engine unavailable");
        } catch (RuntimeException | IOException e) {
            log.error("event=install_crashed container={}", c.id, e);
            fail(c, "Install failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(c, "Install interrupted");
        }
    }

    private void fail(ManagedContainer c, String message) {
        ctx.save(c, c.record.withInstallState(InstallState.FAILED, message, ctx.now()));
        ctx.events().daemonMessage(c, message);
        ctx.events().state(c, "failed");
    }

    private int runScript(ManagedContainer c, InstallScript script) throws IOException, InterruptedException {
        Path dir = ctx.dataDir().resolve("install").resolve(c.id);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(InstallScript.FILE), script.text().replace("\r\n", "\n"));
        Path logFile = logFile(c.id);
        Files.createDirectories(logFile.getParent());
        String volumePath = ctx.volumes().find(c.record.volumeId()).path().toString();
        ctx.runtime().remove(c.installerName());
        ContainerSpec spec = new ContainerSpec(
                c.installerName(),
                c.record.image(),
                script.interpreter(),
                List.of(InstallScript.MOUNT + "/" + InstallScript.FILE),
                "/home/container",
                Map.of(),
                Map.of("managed-by", "lightd", "lightd.internal_id", c.id, "lightd.role", "install"),
                List.of(new ContainerSpec.Mount(volumePath, "/home/container", false),
                        new ContainerSpec.Mount(dir.toString(), InstallScript.MOUNT, true)),
                c.record.limits().memory(),
                c.record.limits().cpu(),
                List.of(),
                ContainerContext.NETWORK);
        String engineId = ctx.runtime().create(spec);
        try (Writer logOut = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            var ended = new java.util.concurrent.CountDownLatch(1);
            Attachment attach = ctx.runtime().attach(engineId, line -> {
                c.console.console(line);
                try {
                    logOut.write(line);
                } catch (IOException e) {
                    log.warn("event=install_log_write_failed container={} error={}", c.id, e.getMessage());
                }
            }, ended::countDown);
            var exit = ctx.runtime().waitForExit(engineId, true);
            ctx.runtime().start(engineId);
            int code;
            try {
                code = exit.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new EngineUnavailableException("install wait failed", e.getCause());
            }
            ended.await(5, java.util.concurrent.TimeUnit.SECONDS);
            attach.close();
            logOut.flush();
            return code;
        } finally {
            ctx.runtime().remove(engineId);
        }
    }
}
