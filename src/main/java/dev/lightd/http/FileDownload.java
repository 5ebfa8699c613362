package dev.lightd.http;

import dev.lightd.fs.OpenFile;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A file sent as a download: streamed from its descriptor straight to the socket (never held in
 * memory, never compressed, so Content-Length is the file's size as opened), with
 * Content-Disposition naming it. Both faces answer their download routes with this.
 */
public final class FileDownload {

    private FileDownload() {}

    public static void send(Context ctx, OpenFile file) {
        HttpServletResponse res = ctx.res();
        try (file) {
            long size = file.entry().size();
            res.setStatus(200);
            res.setContentType("application/octet-stream");
            res.setHeader("Content-Disposition", ContentDisposition.attachment(file.entry().name()));
            res.setContentLengthLong(size);
            OutputStream out = res.getOutputStream();
            // the length announced is the length sent: a file growing meanwhile is cut at its opened size
            InputStream in = file.stream();
            byte[] buffer = new byte[64 * 1024];
            long left = size;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                left -= n;
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
