package dev.lightd.http.lightd;

import dev.lightd.config.LiveConfig;
import dev.lightd.fs.ArchiveFormat;
import dev.lightd.fs.ArchiveLimits;
import dev.lightd.fs.ArchiveResult;
import dev.lightd.fs.ArchiveService;
import dev.lightd.fs.FileEntry;
import dev.lightd.fs.Upload;
import dev.lightd.fs.VolumeFs;
import dev.lightd.http.FileDownload;
import dev.lightd.http.MultipartUpload;
import dev.lightd.fs.VolumePath;
import dev.lightd.http.JsonBody;
import dev.lightd.volume.VolumeService;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Map;

/** Files and archives inside a volume. */
final class VolumeFileRoutes {

    /** The upload route's raw URIs, exempt from server.max_body_bytes (it counts storage.max_upload_bytes itself). */
    static final Pattern UPLOAD_PATHS = Pattern.compile("/volumes/[0-9A-Fa-f-]{1,36}/files/upload");

    private VolumeFileRoutes() {}

    static void register(Javalin app, VolumeService volumes, LiveConfig config) {
        ArchiveService archives = new ArchiveService();

        app.post("/volumes/{id}/files", ctx -> {
            VolumeFs fs = fs(volumes, ctx);
            JsonBody body = JsonBody.parse(ctx.body());
            String path = body.string("path");
            String content = body.string("content");
            fs.writeFile(VolumePath.parse(path), content.getBytes(StandardCharsets.UTF_8));
            ctx.json(message("File written successfully", "path", path));
        }, Access.TOKEN);

        app.get("/volumes/{id}/files", ctx -> {
            VolumeFs fs = fs(volumes, ctx);
            List<Map<String, Object>> files = fs.list(VolumePath.parse(ctx.queryParam("path"))).stream()
                    .map(VolumeFileRoutes::entry).toList();
            ctx.json(Map.of("files", files));
        }, Access.TOKEN);

        app.get("/volumes/{id}/files/content", ctx -> {
            VolumeFs fs = fs(volumes, ctx);
            ctx.contentType("application/octet-stream").result(fs.read(VolumePath.parse(ctx.queryParam("path"))));
        }, Access.TOKEN);

        app.post("/volumes/{id}/files/upload", ctx -> {
            VolumeFs fs = fs(volumes, ctx);
            String path = ctx.queryParamAsClass("path", String.class).getOrDefault("");
            var storage = config.get().storage();
            try (Upload upload = fs.upload(VolumePath.parse(path), storage.maxUploadBytes(), storage.maxUploadFiles())) {
                List<String> names = MultipartUpload.receive(ctx, upload, storage.maxUploadBytes());
                Map<String, Object> out = message("Files uploaded successfully", "path", path);
                out.put("files", names);
                ctx.json(out);
            }
        }, Access.TOKEN);

        app.get("/volumes/{id}/files/download", ctx -> {
            VolumeFs fs = fs(volumes, ctx);
            FileDownload.send(ctx, fs.open(VolumePath.parse(ctx.queryParam("path"))));
        }, Access.TOKEN);

        app.delete("/volumes/{id}/files", ctx -> {
            VolumeFs fs = fs(volumes, ctx);
            String path = ctx.queryParam("path");
            fs.delete(VolumePath.parse(path));
            ctx.json(message("Deleted successfully", "path", path));
        }, Access.TOKEN);

        app.post("/volumes/{id}/folders", ctx -> {
            VolumeFs fs = fs(volumes, ctx);
            String path = JsonBody.parse(ctx.body()).string("path");
            fs.createFolder(VolumePath.parse(path));
            ctx.json(message("Folder created successfully", "path", path));
        }, Access.TOKEN);

        transfer(app, volumes, "copy", "Copied successfully", VolumeFs::copy);
        transfer(app, volumes, "move", "Moved successfully", VolumeFs::move);

        app.post("/volumes/{id}/compress", ctx -> {
            VolumeFs fs = fs(volumes, ctx);
            JsonBody body = JsonBody.parseOptional(ctx.body());
            ArchiveFormat format = ArchiveFormat.forCompress(body.optionalString("format").orElse("tar.gz"));
            VolumePath source = VolumePath.parse(body.optionalString("path").orElse(""));
            String outputName = body.optionalString("output_name").orElse("backup");
            ArchiveResult result = archives.compress(fs, source, format, outputName);
            Map<String, Object> out = message("Compression successful", "archive_path", result.archivePath());
            out.put("size", result.size());
            ctx.json(out);
        }, Access.TOKEN);

        app.post("/volumes/{id}/decompress", ctx -> {
            VolumeFs fs = fs(volumes, ctx);
            JsonBody body = JsonBody.parse(ctx.body());
            VolumePath archive = VolumePath.parse(body.string("archive_path"));
            String destination = body.optionalString("destination").orElse("");
            var storage = config.get().storage();
            archives.decompress(fs, archive, VolumePath.parse(destination),
                    new ArchiveLimits(storage.maxExtractBytes(), storage.maxExtractEntries()));
            ctx.json(message("Decompression successful", "destination", destination));
        }, Access.TOKEN);
    }

    private interface Transfer {
        void run(VolumeFs fs, VolumePath source, VolumePath destination);
    }

    /** Routes taking {"source", "destination"} and answering them back with a message. */
    private static void transfer(Javalin app, VolumeService volumes, String name, String message, Transfer op) {
        app.post("/volumes/{id}/" + name, ctx -> {
            VolumeFs fs = fs(volumes, ctx);
            JsonBody body = JsonBody.parse(ctx.body());
            String source = body.string("source");
            String destination = body.string("destination");
            op.run(fs, VolumePath.parse(source), VolumePath.parse(destination));
            Map<String, Object> out = message(message, "source", source);
            out.put("destination", destination);
            ctx.json(out);
        }, Access.TOKEN);
    }

    private static VolumeFs fs(VolumeService volumes, Context ctx) {
        return volumes.files(volumes.find(ctx.pathParam("id")));
    }

    /** An entry as the seed lists it: name, type and size. */
    private static Map<String, Object> entry(FileEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", e.name());
        out.put("type", e.type());
        out.put("size", e.size());
        return out;
    }

    private static Map<String, Object> message(String message, String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", message);
        out.put(key, value);
        return out;
    }
}
