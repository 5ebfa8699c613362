package dev.lightd.http.mcctl;

import dev.lightd.ServiceException;
import dev.lightd.config.LiveConfig;
import dev.lightd.fs.FileEntry;
import dev.lightd.fs.Upload;
import dev.lightd.fs.VolumeFs;
import dev.lightd.http.FileDownload;
import dev.lightd.http.JsonBody;
import dev.lightd.http.MultipartUpload;
import dev.lightd.minecraft.ServerFiles;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A server's files as mcctl-console's Files page calls them (mcctl-api's routes/servers/files.ts). */
final class FileRoutes {

    /** The upload route's raw URIs, exempt from server.max_body_bytes (it counts storage.max_upload_bytes itself). */
    static final Pattern UPLOAD_PATHS = Pattern.compile("/api/servers/[a-z0-9_-]{1,35}/files/upload");

    private FileRoutes() {}

    static void register(Javalin app, ServerFiles files, LiveConfig config) {
        app.get("/api/servers/{name}/files", ctx -> {
            String server = server(ctx, files);
            String path = pathOr(ctx, "/");
            List<Map<String, Object>> entries = files.list(server, path).stream().map(FileRoutes::entry).toList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("path", path);
            out.put("files", entries);
            ctx.json(out);
        }, McctlAccess.READ);

        app.get("/api/servers/{name}/files/read", ctx -> {
            String server = server(ctx, files);
            String path = requiredPath(ctx);
            VolumeFs.TextFile text = files.readText(server, path, config.get().storage().maxReadBytes());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("path", path);
            out.put("content", text.content());
            out.put("size", text.entry().size());
            out.put("modifiedAt", McctlTime.format(text.entry().modifiedAt()));
            ctx.json(out);
        }, McctlAccess.READ);

        app.put("/api/servers/{name}/files/write", ctx -> {
            String server = server(ctx, files);
            String path = requiredPath(ctx);
            String content = JsonBody.parse(ctx.body()).string("content");
            FileEntry written = files.writeText(server, path, content);
            Map<String, Object> out = success("path", path);
            out.put("size", written.size());
            out.put("modifiedAt", McctlTime.format(written.modifiedAt()));
            ctx.json(out);
        }, McctlAccess.ACT);

        app.delete("/api/servers/{name}/files", ctx -> {
            String server = server(ctx, files);
            String path = requiredPath(ctx);
            files.delete(server, path);
            ctx.json(success("path", path));
        }, McctlAccess.ACT);

        app.post("/api/servers/{name}/files/mkdir", ctx -> {
            String server = server(ctx, files);
            String path = requiredPath(ctx);
            files.createFolder(server, path);
            ctx.json(success("path", path));
        }, McctlAccess.ACT);

        app.post("/api/servers/{name}/files/rename", ctx -> {
            String server = server(ctx, files);
            JsonBody body = JsonBody.parse(ctx.body());
            String oldPath = body.string("oldPath");
            String newPath = body.string("newPath");
            files.rename(server, oldPath, newPath);
            Map<String, Object> out = success("oldPath", oldPath);
            out.put("newPath", newPath);
            ctx.json(out);
        }, McctlAccess.ACT);

        app.post("/api/servers/{name}/files/upload", ctx -> {
            String server = server(ctx, files);
            String path = requiredPath(ctx);
            var storage = config.get().storage();
            try (Upload upload = files.upload(server, path, storage.maxUploadBytes(), storage.maxUploadFiles())) {
                List<String> names = MultipartUpload.receive(ctx, upload, storage.maxUploadBytes());
                Map<String, Object> out = success("path", path);
                out.put("files", names);
                ctx.json(out);
            }
        }, McctlAccess.ACT);

        app.get("/api/servers/{name}/files/download", ctx -> {
            String server = server(ctx, files);
            String path = requiredPath(ctx);
            FileDownload.send(ctx, files.download(server, path));
        }, McctlAccess.READ);
    }

    /** The server named in the path, which must exist (404) before anything else is looked at, as in mcctl-api. */
    private static String server(Context ctx, ServerFiles files) {
        String name = ctx.pathParam("name");
        files.of(name);
        return name;
    }

    private static String pathOr(Context ctx, String fallback) {
        String path = ctx.queryParam("path");
        return path == null || path.isEmpty() ? fallback : path;
    }

    /** As mcctl-api: a missing or empty ?path= is refused before anything is looked at. */
    private static String requiredPath(Context ctx) {
        String path = ctx.queryParam("path");
        if (path == null || path.isEmpty()) {
            throw ServiceException.badRequest("path query parameter is required");
        }
        return path;
    }

    private static Map<String, Object> entry(FileEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", e.name());
        out.put("type", e.type());
        out.put("size", e.size());
        out.put("modifiedAt", McctlTime.format(e.modifiedAt()));
        return out;
    }

    private static Map<String, Object> success(String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        out.put(key, value);
        return out;
    }
}
