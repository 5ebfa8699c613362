package dev.lightd.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.WaitContainerCondition;
import com.github.dockerjava.api.model.WaitResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** {@link ContainerRuntime} over the Docker engine's unix socket, with docker-java. */
public final class DockerRuntime implements ContainerRuntime {

    private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);

    private final CompletableFuture<DockerClient> client = new CompletableFuture<>();
    private final String nodeId;
    private final String socketPath;

    /**
     * nodeId: this daemon's identity, written on every container it creates. The client is built on a
     * thread of its own: its HTTP transport sets up the JDK's default TLS context (it reads the CA
     * certificates even for a unix socket), which took a tenth of the daemon's start on the main thread.
     */
    public DockerRuntime(String socketPath, String nodeId) {
        this.nodeId = nodeId;
        this.socketPath = socketPath.replaceFirst("^unix://", "");
        String host = socketPath.startsWith("unix://") ? socketPath : "unix://" + socketPath;
        Thread.ofPlatform().daemon().name("docker-client-setup").start(() -> {
            try {
                client.complete(build(host));
            } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
            }
        });
    }

    private static DockerClient build(String host) {
        // The engine is reached over its unix socket only: DOCKER_TLS_VERIFY in the daemon's environment
        // (meant for a docker CLI talking to a remote engine) would make the build fail.
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host)
                .withDockerTlsVerify(false).build();
        // No response timeout: attach, stats and events streams stay open for as long as a container runs.
        var http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(256)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    private DockerClient docker() {
        return client.join();
    }

    @Override
    public void ping() {
        call(() -> docker().pingCmd().exec());
    }

    @Override
    public boolean imageExists(String image) {
        try {
            call(() -> docker().inspectImageCmd(image).exec());
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void ensureNetwork(String name) {
        call(() -> {
            boolean exists = docker().listNetworksCmd().withNameFilter(name).exec().stream()
                    .anyMatch(n -> n.getName().equals(name));
            if (!exists) {
                try {
                    docker().createNetworkCmd().withName(name).withDriver("bridge")
                            .withLabels(Map.of(EngineLabels.MANAGED_BY, EngineLabels.MANAGED_BY_VALUE)).exec();
                } catch (ConflictException raced) {
                    // created meanwhile
                }
            }
            return null;
        });
    }

    @Override
    public String create(ContainerSpec spec) {
        List<ExposedPort> exposed = new ArrayList<>();
        Ports bindings = new Ports();
        for (ContainerSpec.PortBinding p : spec.ports()) {
            ExposedPort ep = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
            exposed.add(ep);
            bindings.bind(ep, Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()));
        }
        for (ContainerSpec.Mount m : spec.mounts()) {
            if (isEngineSocket(m.hostPath())) {
                throw new IllegalArgumentException("refusing to mount the engine socket into a container: " + m.hostPath());
            }
        }
        List<Bind> binds = spec.mounts().stream()
                .map(m -> Bind.parse(m.hostPath() + ":" + m.containerPath() + (m.readOnly() ? ":ro" : ":rw")))
                .toList();
        HostConfig host = HostConfig.newHostConfig()
                .withBinds(binds)
                .withPortBindings(bindings)
                .withNetworkMode(spec.network());
        if (spec.memory() > 0) {
            host.withMemory(spec.memory()).withMemorySwap(spec.memory());
        }
        if (spec.cpu() > 0) {
            host.withNanoCPUs((long) (spec.cpu() * 1_000_000_000L));
        }
        harden(host, spec.hardening());
        List<String> env = spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(EngineLabels.MANAGED_BY, EngineLabels.MANAGED_BY_VALUE);
        labels.put(EngineLabels.NODE, nodeId);
        try {
            return call(() -> {
                CreateContainerCmd cmd = docker().createContainerCmd(spec.image())
                        .withName(spec.name())
                        .withEnv(env)
                        .withLabels(labels)
                        .withExposedPorts(exposed)
                        .withHostConfig(host)
                        .withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
                        .withStdinOpen(true).withStdInOnce(false).withTty(false);
                if (!spec.command().isEmpty()) {
                    cmd.withCmd(spec.command()); // empty keeps the image's own
                }
                if (spec.workingDir() != null) {
                    cmd.withWorkingDir(spec.workingDir());
                }
                if (spec.entrypoint() != null) {
                    cmd.withEntrypoint(spec.entrypoint());
                }
                return cmd.exec().getId();
            });
        } catch (NotFoundException e) {
            throw new ImageNotFoundException(spec.image());
        } catch (ConflictException e) {
            throw new ContainerNameTakenException(spec.name());
        }
    }

    private boolean isEngineSocket(String hostPath) {
        String p = Path.of(hostPath).normalize().toString();
        return p.equals(socketPath) || p.equals("/var/run/docker.sock") || p.equals("/run/docker.sock")
                || p.equals("/var/run") || p.equals("/run") || p.equals("/");
    }

    /** Never privileged; PID limit, no-new-privileges, dropped capabilities and a /tmp tmpfs as configured. */
    static void harden(HostConfig host, Hardening h) {
        host.withPrivileged(false);
        if (h.pidsLimit() > 0) {
            host.withPidsLimit(h.pidsLimit());
        }
        if (h.noNewPrivileges()) {
            host.withSecurityOpts(List.of("no-new-privileges"));
        }
        if (!h.capDrop().isEmpty()) {
            host.withCapDrop(h.capDrop().stream().map(DockerRuntime::capability).toArray(Capability[]::new));
        }
        if (h.tmpSizeBytes() > 0) {
            host.withTmpFs(Map.of("/tmp", "rw,exec,nosuid,nodev,size=" + h.tmpSizeBytes()));
        }
    }

    /** What {@link #harden} set, read back from an inspect (for a container this daemon may not have made). */
    static Hardening hardening(HostConfig host) {
        if (host == null) {
            return Hardening.NONE;
        }
        long pids = host.getPidsLimit() == null ? 0 : Math.max(0, host.getPidsLimit());
        boolean nnp = host.getSecurityOpts() != null && host.getSecurityOpts().stream()
                .anyMatch(o -> o.equals("no-new-privileges") || o.equals("no-new-privileges:true"));
        List<String> caps = host.getCapDrop() == null ? List.of()
                : Arrays.stream(host.getCapDrop()).map(Capability::name).toList();
        String tmp = host.getTmpFs() == null ? null : host.getTmpFs().get("/tmp");
        return new Hardening(pids, nnp, caps, tmp == null ? 0 : tmpfsSize(tmp));
    }

    private static long tmpfsSize(String options) {
        for (String o : options.split(",")) {
            if (o.startsWith("size=")) {
                try {
                    return Long.parseLong(o.substring("size=".length()));
                } catch (NumberFormatException e) {
                    return 0; // a size with a unit was not set by this daemon: made again
                }
            }
        }
        return 0;
    }

    private static Capability capability(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return Capability.valueOf(upper.startsWith("CAP_") ? upper.substring(4) : upper);
    }

    @Override
    public void start(String id) {
        try {
            call(() -> docker().startContainerCmd(id).exec());
        } catch (NotModifiedException alreadyRunning) {
            // fine
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id);
        }
    }

    @Override
    public Attachment attach(String id, Consumer<String> lines, Runnable onEnd) {
        StdinPipe stdin = new StdinPipe();
        LineSplitter out = new LineSplitter(lines);
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                out.accept(frame.getPayload());
            }

            @Override
            public void onComplete() {
                out.flush();
                onEnd.run();
            }

            @Override
            public void onError(Throwable t) {
                out.flush();
                onEnd.run();
            }
        };
        try {
            call(() -> docker().attachContainerCmd(id)
                    .withStdIn(stdin).withStdOut(true).withStdErr(true)
                    .withFollowStream(true).withLogs(false)
                    .exec(callback));
            callback.awaitStarted(10, TimeUnit.SECONDS);
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Attachment() {
            @Override
            public void write(String text) {
                stdin.write(text);
            }

            @Override
            public void close() {
                stdin.close();
                closeQuietly(callback);
            }
        };
    }

    @Override
    public Closeable stats(String id, Consumer<StatsSample> samples) {
        ResultCallback.Adapter<Statistics> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics s) {
                StatsSample sample = DockerStats.toSample(s);
                if (sample != null) {
                    samples.accept(sample);
                }
            }

            @Override
            public void onError(Throwable t) {
                // the stream ends when the container stops or the stream is closed: nothing to report
                closeQuietly(this);
            }
        };
        call(() -> docker().statsCmd(id).withNoStream(false).exec(callback));
        return callback;
    }

    @Override
    public void kill(String id, String signal) {
        try {
            call(() -> docker().killContainerCmd(id).withSignal(signal).exec());
        } catch (ConflictException notRunning) {
            // already stopped
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id);
        }
    }

    @Override
    public void stop(String id, int timeoutSeconds) {
        try {
            call(() -> docker().stopContainerCmd(id).withTimeout(timeoutSeconds).exec());
        } catch (NotModifiedException alreadyStopped) {
            // fine
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id);
        }
    }

    @Override
    public void unpause(String id) {
        try {
            call(() -> docker().unpauseContainerCmd(id).exec());
        } catch (ConflictException | NotModifiedException notPaused) {
            // fine
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id);
        }
    }

    @Override
    public void remove(String idOrName) {
        if (!owned(idOrName)) {
            log.warn("event=foreign_container_kept container={} reason=\"not created by this daemon\"", idOrName);
            return;
        }
        try {
            call(() -> docker().removeContainerCmd(idOrName).withForce(true).withRemoveVolumes(true).exec());
        } catch (NotFoundException gone) {
            // fine
        } catch (ConflictException inProgress) {
            log.debug("event=remove_in_progress container={}", idOrName);
        }
    }

    /**
     * Whether a container is this daemon's to remove: labelled with its node id, or, from before
     * node ids were written, labelled managed-by=lightd with none. A missing one counts as owned.
     */
    private boolean owned(String idOrName) {
        return inspect(idOrName).map(ContainerState::labels).map(labels -> {
            String node = labels.get(EngineLabels.NODE);
            return node == null ? EngineLabels.MANAGED_BY_VALUE.equals(labels.get(EngineLabels.MANAGED_BY)) : node.equals(nodeId);
        }).orElse(true);
    }

    @Override
    public Optional<ContainerState> inspect(String idOrName) {
        try {
            InspectContainerResponse r = call(() -> docker().inspectContainerCmd(idOrName).exec());
            var state = r.getState();
            Map<String, String> env = new HashMap<>();
            if (r.getConfig() != null && r.getConfig().getEnv() != null) {
                for (String kv : r.getConfig().getEnv()) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        env.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
            Map<String, String> labels = r.getConfig() != null && r.getConfig().getLabels() != null
                    ? r.getConfig().getLabels() : Map.of();
            String health = state.getHealth() == null || state.getHealth().getStatus() == null
                    ? "none" : state.getHealth().getStatus();
            Instant started = parseTime(state.getStartedAt());
            return Optional.of(new ContainerState(r.getId(), r.getName().replaceFirst("^/", ""), state.getStatus(),
                    Boolean.TRUE.equals(state.getRunning()),
                    state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue(),
                    started, health, env, labels, hardening(r.getHostConfig())));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static Instant parseTime(String text) {
        if (text == null || text.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public CompletableFuture<Integer> waitForExit(String id, boolean nextExit) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        ResultCallback.Adapter<WaitResponse> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(WaitResponse r) {
                exit.complete(r.getStatusCode() == null ? -1 : r.getStatusCode());
            }

            @Override
            public void onError(Throwable t) {
                exit.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                exit.completeExceptionally(new EngineUnavailableException("wait ended without an exit code", null));
            }
        };
        try {
            call(() -> docker().waitContainerCmd(id)
                    .withCondition(nextExit ? WaitContainerCondition.NEXT_EXIT : WaitContainerCondition.NOT_RUNNING)
                    .exec(callback));
            // the engine answers the headers once the wait is registered: a start after this is seen
            callback.awaitStarted(10, TimeUnit.SECONDS);
        } catch (NotFoundException e) {
            exit.completeExceptionally(new ContainerNotFoundException(id));
        } catch (RuntimeException e) {
            exit.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit.completeExceptionally(e);
        }
        return exit;
    }

    @Override
    public List<String> tail(String id, int lines) {
        List<String> out = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(out::add);
        try {
            var callback = call(() -> docker().logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            splitter.accept(frame.getPayload());
                        }
                    }));
            callback.awaitCompletion(10, TimeUnit.SECONDS);
        } catch (NotFoundException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        splitter.flush();
        return out;
    }

    @Override
    public Closeable events(Consumer<EngineEvent> events, Runnable onEnd) {
        ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event e) {
                if (e.getType() != EventType.CONTAINER || e.getAction() == null) {
                    return;
                }
                Map<String, String> attrs = e.getActor() != null && e.getActor().getAttributes() != null
                        ? e.getActor().getAttributes() : Map.of();
                Integer exit = attrs.containsKey("exitCode") ? Integer.valueOf(attrs.get("exitCode")) : null;
                Instant time = e.getTimeNano() != null ? Instant.ofEpochSecond(0, e.getTimeNano())
                        : e.getTime() != null ? Instant.ofEpochSecond(e.getTime()) : null;
                events.accept(new EngineEvent(e.getId(), attrs.get("name"), e.getAction(), exit, attrs.get("signal"), time));
            }

            @Override
            public void onError(Throwable t) {
                onEnd.run();
            }

            @Override
            public void onComplete() {
                onEnd.run();
            }
        };
        call(() -> docker().eventsCmd().withLabelFilter(EngineLabels.NODE + "=" + nodeId).withEventTypeFilter(EventType.CONTAINER).exec(callback));
        return callback;
    }

    @Override
    public void close() {
        try {
            docker().close();
        } catch (IOException e) {
            log.debug("event=docker_close_failed error={}", e.getMessage());
        }
    }

    /** Turns transport failures into EngineUnavailableException; engine answers pass through. */
    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (DockerException e) {
            throw e;
        } catch (RuntimeException e) {
            if (isTransport(e)) {
                throw new EngineUnavailableException("Docker engine unavailable: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static boolean isTransport(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t.getClass().getName().contains("LastErrorException")) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a finished stream
        }
    }

}
