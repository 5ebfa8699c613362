package dev.lightd.it;

import dev.lightd.TestPorts;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Minecraft stand-in image behaves like itzg/minecraft-server where Lightd can see it: the
 * EULA gate, vanilla log lines, Source RCON (multi-packet answers, several clients, wrong
 * password), the health check, stdin commands, a graceful stop and the world in /data.
 * Drives the image with the docker CLI only.
 */
@Isolated
class McStandinImageIT {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static String image;

    private final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void buildImage() {
        image = McStandinImage.ensureBuilt();
    }

    @AfterEach
    void removeContainers() {
        for (String name : containers) {
            docker("rm", "-f", name);
        }
    }

    @Test
    void answersRconLikeVanilla() throws IOException {
        int port = TestPorts.free();
        String name = start("-i", "-e", "EULA=TRUE", "-e", "RCON_PASSWORD=x", "-p", "127.0.0.1:" + port + ":25575");
        awaitLog(name, "Done (");
        assertThat(logs(name))
                .containsPattern("(?m)^\\[\\d\\d:\\d\\d:\\d\\d] \\[Server thread/INFO]: Starting minecraft server version ")
                .contains("[Server thread/INFO]: Preparing level \"world\"")
                .containsPattern("Done \\(\\d+\\.\\d{3}s\\)! For help, type \"help\"");

        try (TestRcon rcon = connect(port, "x"); TestRcon second = connect(port, "x")) {
            assertThat(rcon.command("list")).isEqualTo("There are 0 of a max of 20 players online: ");

            assertThat(second.command("fake-join Steve")).isEqualTo("Steve joined the game");
            assertThat(rcon.command("fake-join Alex")).isEqualTo("Alex joined the game");
            assertThat(rcon.command("list")).isEqualTo("There are 2 of a max of 20 players online: Steve, Alex");
            assertThat(second.command("fake-leave Alex")).isEqualTo("Alex left the game");
            assertThat(second.command("list")).isEqualTo("There are 1 of a max of 20 players online: Steve");

            TestRcon.Answer help = rcon.exec("help");
            assertThat(help.text().getBytes(StandardCharsets.UTF_8).length).isGreaterThan(4096);
            assertThat(help.packets()).isGreaterThan(1);
            assertThat(help.text()).contains("/list [uuids]").contains("/whitelist");
            assertThat(rcon.command("list")).startsWith("There are 1 of a max of 20"); // the stream is still in step

            assertThat(rcon.command("say hello world")).isEmpty();
            assertThat(rcon.command("save-all")).isEqualTo("Saved the game");
            assertThat(rcon.command("no-such-command")).isEqualTo("Unknown or incomplete command, see below for error");
        }
        assertThat(logs(name))
                .contains("[Server thread/INFO]: Steve joined the game")
                .contains("[Server thread/INFO]: Alex left the game")
                .contains("[Server thread/INFO]: [Server] hello world")
                .contains("[Server thread/INFO]: Saved the game");

        assertThatThrownBy(() -> TestRcon.connect("127.0.0.1", port, "wrong").close())
                .isInstanceOf(TestRcon.AuthFailed.class);

        Result rconCli = docker("exec", name, "rcon-cli", "list"); // itzg's image has rcon-cli too
        assertThat(rconCli.code()).as(rconCli.output()).isZero();
        assertThat(rconCli.output()).isEqualTo("There are 1 of a max of 20 players online: Steve\n");
    }

    @Test
    void becomesHealthyAndStopsGracefullyOnSigterm() {
        String name = start("-e", "EULA=true");
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(500))
                .until(() -> inspect(name, "{{.State.Health.Status}}"), "healthy"::equals);

        assertThat(docker("stop", "-t", "20", name).code()).isZero();
        assertThat(inspect(name, "{{.State.ExitCode}}")).isEqualTo("0");
        assertThat(logs(name)).contains("[Server thread/INFO]: Stopping server").contains("All chunks are saved");
    }

    @Test
    void refusesToStartWithoutTheEula() {
        String name = start();
        await().atMost(STARTUP).until(() -> inspect(name, "{{.State.Status}}"), "exited"::equals);
        assertThat(inspect(name, "{{.State.ExitCode}}")).isEqualTo("1");
        assertThat(logs(name))
                .contains("ERROR: Please accept the Minecraft EULA")
                .contains("-e EULA=TRUE")
                .doesNotContain("Done (");
    }

    @Test
    void stopOverRconSavesTheWorldIntoData(@TempDir Path data) throws IOException {
        int port = TestPorts.free();
        String name = start("-e", "EULA=TRUE", "-e", "RCON_PASSWORD=secret", "-e", "LEVEL=survival",
                "-e", "SEED=12345", "-e", "MAX_PLAYERS=5", "-e", "VERSION=1.20.4",
                "-v", data.toAbsolutePath() + ":/data", "-p", "127.0.0.1:" + port + ":25575");
        awaitLog(name, "Done (");
        assertThat(logs(name))
                .contains("Starting minecraft server version 1.20.4")
                .contains("Preparing level \"survival\"");

        try (TestRcon rcon = connect(port, "secret")) {
            assertThat(rcon.command("list")).isEqualTo("There are 0 of a max of 5 players online: ");
            assertThat(rcon.command("seed")).isEqualTo("Seed: [12345]");
            assertThat(rcon.command("stop")).isEqualTo("Stopping the server");
        }
        await().atMost(STARTUP).until(() -> inspect(name, "{{.State.Status}}"), "exited"::equals);
        assertThat(inspect(name, "{{.State.ExitCode}}")).isEqualTo("0");
        assertThat(logs(name)).contains("Stopping the server").contains("Stopping server");

        Path world = data.resolve("survival");
        assertThat(world.resolve("region/r.0.0.mca")).isRegularFile();
        try (var in = new GZIPInputStream(Files.newInputStream(world.resolve("level.dat")))) {
            String nbt = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(nbt).contains("RandomSeed").contains("survival").contains("1.20.4");
        }
        assertThat(data.resolve("server.properties")).content().contains("level-seed=12345", "rcon.port=25575");
    }

    @Test
    void answersCommandsOnStdin() throws Exception {
        String name = "lightd-it-mcstandin-" + UUID.randomUUID().toString().substring(0, 8);
        containers.add(name);
        Process process = new ProcessBuilder("docker", "run", "-i", "--name", name,
                "--label", "lightd.test=mc-standin", "-e", "EULA=TRUE", image)
                .redirectErrorStream(true).start();
        AtomicReference<String> output = new AtomicReference<>("");
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output.set(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write("fake-join Alex\nlist\nsay hi\nbogus\nstop\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the server stops on 'stop'").isTrue();
        reader.join();
        assertThat(process.exitValue()).as(output.get()).isZero();
        assertThat(output.get())
                .contains("[Server thread/INFO]: > list")
                .contains("[Server thread/INFO]: Alex joined the game")
                .contains("[Server thread/INFO]: There are 1 of a max of 20 players online: Alex")
                .contains("[Server thread/INFO]: [Server] hi")
                .contains("[Server thread/INFO]: Unknown or incomplete command, see below for error")
                .contains("[Server thread/INFO]: Stopping the server");
    }

    // --- docker CLI ---

    private record Result(int code, String output) {
    }

    private String start(String... options) {
        String name = "lightd-it-mcstandin-" + UUID.randomUUID().toString().substring(0, 8);
        containers.add(name);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--label", "lightd.test=mc-standin"));
        args.addAll(List.of(options));
        args.add(image);
        Result result = docker(args.toArray(String[]::new));
        assertThat(result.code()).as("docker run: %s", result.output()).isZero();
        return name;
    }

    private static TestRcon connect(int port, String password) {
        // docker's proxy accepts connections before the server listens: retry until RCON answers
        AtomicReference<TestRcon> rcon = new AtomicReference<>();
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(200)).ignoreExceptionsMatching(
                        e -> !(e instanceof TestRcon.AuthFailed))
                .until(() -> {
                    rcon.set(TestRcon.connect("127.0.0.1", port, password));
                    return true;
                });
        return rcon.get();
    }

    private static void awaitLog(String name, String text) {
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(200)).until(() -> {
            if ("exited".equals(inspect(name, "{{.State.Status}}")) && !logs(name).contains(text)) {
                throw new AssertionError(name + " exited before logging '" + text + "':\n" + logs(name));
            }
            return logs(name).contains(text);
        });
    }

    private static String logs(String name) {
        return docker("logs", name).output();
    }

    private static String inspect(String name, String format) {
        return docker("inspect", "-f", format, name).output().strip();
    }

    private static Result docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
