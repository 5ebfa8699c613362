package dev.lightd.http.lightd;

import dev.lightd.container.ContainerRecord;
import dev.lightd.container.ContainerService;
import dev.lightd.container.Limits;
import dev.lightd.container.NewContainer;
import dev.lightd.container.PortSpec;
import dev.lightd.http.JsonBody;
import dev.lightd.http.JsonMemo;
import dev.lightd.supervisor.PowerState;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class ContainerRoutes {

    static final long DEFAULT_MEMORY = 1024L * 1024 * 1024;

    private ContainerRoutes() {}

    static void register(Javalin app, ContainerService containers) {
        app.post("/containers", ctx -> {
            JsonBody body = JsonBody.parse(ctx.body());
            Limits limits = body.optionalObject("limits")
                    .map(l -> new Limits(l.optionalInteger("memory").orElse(DEFAULT_MEMORY),
                            l.optionalNumber("cpu").orElse(1.0), l.optionalInteger("pids").orElse(0L)))
                    .orElse(new Limits(DEFAULT_MEMORY, 1.0));
            ContainerRecord r = containers.create(new NewContainer(
                    body.string("internal_id"),
                    body.string("image"),
                    body.string("volume_id"),
                    body.string("startup_command"),
                    body.optionalString("start_pattern").orElse(null),
                    ports(body),
                    limits,
                    body.optionalString("install_script").orElse(""),
                    body.optionalString("stop_command").orElse(null),
                    body.optionalBool("restart_on_crash").orElse(false),
                    body.optionalBool("crash_on_clean_exit").orElse(false),
                    body.optionalObject("limits").flatMap(l -> l.optionalInteger("disk")).orElse(null)));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("message", "Container creation started");
            out.put("internal_id", r.internalId());
            out.put("state", "installing");
            ctx.json(out);
        }, Access.TOKEN);

        // compared per request (records, unchanged ones identical), made into JSON only when one changed
        JsonMemo list = new JsonMemo();
        app.get("/containers", ctx -> list.answer(ctx,
                containers.list().stream().map(v -> new Shown(v.record(), v.power())).toList(),
                shown -> Map.of("containers", shown.stream().map(ContainerRoutes::summary).toList())), Access.TOKEN);

        app.get("/containers/{id}", ctx -> {
            Map<String, Object> out = detail(containers.get(ctx.pathParam("id")));
            out.put("disk_limit", containers.diskLimit(ctx.pathParam("id"))); // the volume's limit (limits.disk); 0 = none
            ctx.json(out);
        }, Access.TOKEN);

        app.delete("/containers/{id}", ctx -> {
            containers.delete(ctx.pathParam("id"));
            ctx.json(Map.of("message", "Container deleted successfully"));
        }, Access.TOKEN);

        action(app, "start", "Container start initiated", containers::start);
        action(app, "stop", "Container stop initiated", containers::stop);
        action(app, "kill", "Container kill initiated", containers::kill);
        action(app, "restart", "Container restart initiated", containers::restart);

        app.post("/containers/{id}/reinstall", ctx -> {
            JsonBody body = JsonBody.parseOptional(ctx.body());
            // limits given on reinstall replace the container's, field by field; the rest stay
            var limits = body.optionalObject("limits");
            Optional<Long> memory = limits.flatMap(l -> l.optionalInteger("memory"));
            Optional<Double> cpu = limits.flatMap(l -> l.optionalNumber("cpu"));
            Optional<Long> pids = limits.flatMap(l -> l.optionalInteger("pids"));
            Optional<Long> disk = limits.flatMap(l -> l.optionalInteger("disk"));
            containers.reinstall(ctx.pathParam("id"), body.optionalString("image"), body.optionalString("install_script"),
                    old -> new Limits(memory.orElse(old.memory()), cpu.orElse(old.cpu()), pids.orElse(old.pids())),
                    disk);
            ctx.json(initiated("Container reinstall started", ctx.pathParam("id")));
        }, Access.TOKEN);

        app.post("/containers/{id}/rebind-network", ctx -> {
            JsonBody body = JsonBody.parse(ctx.body());
            containers.rebind(ctx.pathParam("id"), requiredPorts(body));
            ctx.json(initiated("Network rebinding started", ctx.pathParam("id")));
        }, Access.TOKEN);
    }

    /** What the list shows of a container: its record (replaced, never changed, on every change) and power state. */
    private record Shown(ContainerRecord record, PowerState power) {}

    private static Map<String, Object> summary(Shown v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("internal_id", v.record().internalId());
        out.put("container_id", v.record().containerId());
        out.put("install_state", v.record().installState().wire());
        out.put("image", v.record().image());
        out.put("state", v.power().wire());
        return out;
    }

    private interface Action {
        void run(String id);
    }

    private static void action(Javalin app, String name, String message, Action action) {
        app.post("/containers/{id}/" + name, ctx -> {
            action.run(ctx.pathParam("id"));
            ctx.json(initiated(message, ctx.pathParam("id")));
        }, Access.TOKEN);
    }

    /** Optional on create (no ports), required on rebind: an empty body must not drop every binding. */
    private static List<PortSpec> ports(JsonBody body) {
        return body.optionalObjects("ports", ContainerRoutes::port).orElse(List.of());
    }

    private static List<PortSpec> requiredPorts(JsonBody body) {
        return body.objects("ports", ContainerRoutes::port);
    }

    private static PortSpec port(JsonBody p) {
        return new PortSpec(p.string("ip"), (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, p.integer("port"))),
                p.optionalString("protocol").orElse("tcp"));
    }

    private static Map<String, Object> initiated(String message, String id) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", message);
        out.put("internal_id", id);
        return out;
    }

    private static Map<String, Object> detail(ContainerService.View v) {
        ContainerRecord r = v.record();
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("memory", r.limits().memory());
        limits.put("cpu", r.limits().cpu());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("internal_id", r.internalId());
        out.put("container_id", r.containerId());
        out.put("volume_id", r.volumeId());
        out.put("image", r.image());
        out.put("startup_command", r.startupCommand());
        out.put("start_pattern", r.startPattern());
        out.put("install_state", r.installState().wire());
        out.put("ports", r.ports());
        out.put("limits", limits);
        out.put("mount", Map.of());
        out.put("created_at", r.createdAt());
        out.put("updated_at", r.updatedAt());
        out.put("state", v.power().wire());
        out.put("daemon_message", r.daemonMessage());
        out.put("stop_command", r.stopCommand());
        out.put("restart_on_crash", r.restartOnCrash());
        out.put("crash_on_clean_exit", r.crashOnCleanExit());
        // beside limits, not in it: limits keeps the seed's exact {"memory", "cpu"}; 0 = containers.pids_limit
        out.put("pids_limit", r.limits().pids());
        return out;
    }
}
