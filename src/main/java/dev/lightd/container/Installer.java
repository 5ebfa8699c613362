package dev.lightd.container;

import dev.lightd.EngineRefusals;
import dev.lightd.ServiceException;
import dev.lightd.runtime.Attachment;
import dev.lightd.runtime.ContainerNameTakenException;
import dev.lightd.runtime.ContainerRuntime;
import dev.lightd.runtime.ContainerSpec;
import dev.lightd.runtime.EngineLabels;
import dev.lightd.runtime.Hardening;
import dev.lightd.runtime.EngineUnavailableException;
import dev.lightd.runtime.ImageNotFoundException;
import dev.lightd.volume.VolumeService;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a container's install script in a separate short-lived container of its image, with the
 * volume at /home/container; the output goes to the console and to the install log (install.go).
 */
final class Installer {

    private static final Logger log = LoggerFactory.getLogger(Installer.class);

    private final ContainerRuntime runtime;
    private final VolumeService volumes;
    private final Path dataDir;
    private final Function<ContainerRecord, Hardening> hardening;

    Installer(ContainerRuntime runtime, VolumeService volumes, Path dataDir,
              Function<ContainerRecord, Hardening> hardening) {
        this.runtime = runtime;
        this.volumes = volumes;
        this.dataDir = dataDir;
        this.hardening = hardening;
    }

    /** Runs under the container's power lock; leaves it ready (with a server container) or failed. */
    void install(ManagedContainer c) {
        c.events().installState("installing");
        InstallScript script = new InstallScript(c.record().installScript());
        try {
            if (!script.isEmpty()) {
                int exit = runScript(c, script);
                if (exit != 0) {
                    fail(c, "Install script exited with code " + exit);
                    return;
                }
            } else if (!runtime.imageExists(c.record().image())) {
                fail(c, ServerContainer.IMAGE_NOT_FOUND);
                return;
            }
            c.recreateEngineContainer();
            c.update(r -> r.withInstallState(InstallState.READY, null, c.now()));
            c.events().installState("ready");
        } catch (ImageNotFoundException e) {
            fail(c, ServerContainer.IMAGE_NOT_FOUND);
        } catch (ContainerNameTakenException e) {
            fail(c, EngineRefusals.nameTaken(e));
        } catch (ServiceException e) {
            fail(c, e.getMessage());
        } catch (EngineUnavailableException e) {
            fail(c, "Install failed: Docker engine unavailable");
        } catch (RuntimeException | IOException e) {
            log.error("event=install_crashed container={}", c.id(), e);
            fail(c, "Install failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(c, "Install interrupted");
        }
    }

    /** An install cut off by a daemon restart: its container is removed and the record marked failed. */
    void abandon(ManagedContainer c) {
        runtime.remove(ServerContainer.installerName(c.id()));
        fail(c, "Install interrupted by a daemon restart; reinstall to try again");
    }

    private void fail(ManagedContainer c, String message) {
        c.update(r -> r.withInstallState(InstallState.FAILED, message, c.now()));
        c.events().daemonMessage(message);
        c.events().installState("failed");
    }

    private int runScript(ManagedContainer c, InstallScript script) throws IOException, InterruptedException {
        Path dir = dataDir.resolve("install").resolve(c.id());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(InstallScript.FILE), script.text().replace("\r\n", "\n"));
        Path logFile = dataDir.resolve("logs").resolve(c.id()).resolve("install.log");
        Files.createDirectories(logFile.getParent());
        ContainerRecord r = c.record();
        String volumePath = volumes.find(r.volumeId()).path().toString();
        String name = ServerContainer.installerName(c.id());
        runtime.remove(name);
        ContainerSpec spec = new ContainerSpec(
                name,
                r.image(),
                script.interpreter(),
                List.of(InstallScript.MOUNT + "/" + InstallScript.FILE),
                ServerContainer.HOME,
                Map.of(),
                Map.of(EngineLabels.INTERNAL_ID, c.id(), EngineLabels.ROLE, "install"),
                List.of(new ContainerSpec.Mount(volumePath, ServerContainer.HOME, false),
                        new ContainerSpec.Mount(dir.toString(), InstallScript.MOUNT, true)),
                r.limits().memory(),
                r.limits().cpu(),
                List.of(),
                EngineLabels.NETWORK,
                hardening.apply(r)); // the server container's confinement and limits
        String engineId = runtime.create(spec);
        try (Writer logOut = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            CountDownLatch ended = new CountDownLatch(1);
            Attachment attach = runtime.attach(engineId, line -> {
                c.server().console().console(line);
                try {
                    logOut.write(line);
                } catch (IOException e) {
                    log.warn("event=install_log_write_failed container={} error={}", c.id(), e.getMessage());
                }
            }, ended::countDown);
            var exit = runtime.waitForExit(engineId, true);
            runtime.start(engineId);
            int code;
            try {
                code = exit.get();
            } catch (ExecutionException e) {
                throw new EngineUnavailableException("install wait failed", e.getCause());
            }
            ended.await(5, TimeUnit.SECONDS);
            attach.close();
            logOut.flush();
            return code;
        } finally {
            runtime.remove(engineId);
        }
    }
}
