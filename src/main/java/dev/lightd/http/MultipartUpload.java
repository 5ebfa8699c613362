package dev.lightd.http;

import dev.lightd.ServiceException;
import dev.lightd.fs.Upload;
import io.javalin.http.Context;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.MultiPartParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

/**
 * A multipart/form-data upload (what a browser's FormData sends, field names free: the mcctl
 * console sends its files as {@code files}) streamed from the socket into an {@link Upload}: a
 * buffer at a time through Jetty's incremental multipart parser, never the whole body in memory or
 * in a temporary file of its own. Every part with a filename is a file; other parts are skipped.
 *
 * <p>These routes are exempt from server.max_body_bytes ({@link BodyLimit}); their own limit is the
 * upload's (file bytes, checked as they arrive) and, for the whole body with its multipart framing,
 * that plus {@link #FRAMING_ALLOWANCE}. After a refusal the rest of the body is read and dropped
 * while it stays within that bound, so the client gets the answer instead of a reset connection.
 */
public final class MultipartUpload {

    /** Room for boundaries, part headers and form fields beside the file bytes. */
    public static final long FRAMING_ALLOWANCE = 1024 * 1024;
    private static final int BUFFER = 64 * 1024;

    private MultipartUpload() {}

    /** Reads the request's body into the upload and commits it; the names of the files written. */
    public static List<String> receive(Context ctx, Upload upload, long maxUploadBytes) {
        String boundary = boundary(ctx.header("Content-Type"));
        long maxBody = maxUploadBytes + FRAMING_ALLOWANCE;
        long length = ctx.req().getContentLengthLong();
        if (length > maxBody) {
            throw tooLarge(maxUploadBytes);
        }
        Parts parts = new Parts(upload);
        MultiPartParser parser = new MultiPartParser(parts, boundary);
        long read = 0;
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] data = new byte[BUFFER];
            while (parts.failure == null) {
                int n = in.read(data);
                if (n < 0) {
                    parser.parse(ByteBuffer.allocate(0), true);
                    break;
                }
                read += n;
                if (read > maxBody) {
                    throw tooLarge(maxUploadBytes);
                }
                ByteBuffer buffer = ByteBuffer.wrap(data, 0, n);
                while (buffer.hasRemaining() && parts.failure == null && !parser.parse(buffer, false)) {
                    // parse consumes what it can; it returns true when a part handler stopped it
                }
            }
            if (parts.failure != null) {
                drain(in, maxBody - read);
                throw parts.failure;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (BadMessageException e) {
            // Jetty's parser refuses framing it cannot read (bad characters in a part's headers)
            throw ServiceException.badRequest("Malformed multipart body: " + e.getReason());
        } catch (IllegalStateException e) {
            // ... or a part header line past its length limit
            throw ServiceException.badRequest("Malformed multipart body: " + e.getMessage());
        }
        if (!parts.complete) {
            throw ServiceException.badRequest("Malformed multipart body: it ended before its closing boundary");
        }
        if (upload.files() == 0) {
            throw ServiceException.badRequest("No file in the upload: send multipart/form-data parts with a filename");
        }
        return upload.commit();
    }

    /** Reads and drops what is left of a refused body, up to the bound; past it the connection is closed instead. */
    private static void drain(InputStream in, long allowance) {
        byte[] sink = new byte[BUFFER];
        long left = allowance;
        try {
            int n;
            while (left > 0 && (n = in.read(sink)) >= 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // the client went away or sent garbage: the refusal stands
        }
    }

    private static ServiceException tooLarge(long maxUploadBytes) {
        return ServiceException.badRequest("Upload refused: larger than " + maxUploadBytes
                + " bytes (storage.max_upload_bytes)");
    }

    /** The boundary parameter of a multipart/form-data Content-Type, quoted or not. */
    static String boundary(String contentType) {
        if (contentType == null
                || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ServiceException.badRequest("Upload must be multipart/form-data");
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (b.isEmpty() || b.length() > 70) {
                    break;
                }
                return b;
            }
        }
        throw ServiceException.badRequest("Upload must be multipart/form-data with a boundary of 1 to 70 characters");
    }

    /** The parser's callbacks: a part with a filename becomes a file of the upload. */
    private static final class Parts implements MultiPartParser.Handler {
        private final Upload upload;
        private String disposition;
        private boolean writing;
        private boolean complete;
        private RuntimeException failure;

        Parts(Upload upload) {
            this.upload = upload;
        }

        @Override
        public void startPart() {
            disposition = null;
            writing = false;
        }

        @Override
        public void parsedField(String name, String value) {
            if ("content-disposition".equalsIgnoreCase(name)) {
                disposition = value;
            }
        }

        @Override
        public boolean headerComplete() {
            String fileName = ContentDisposition.fileName(disposition);
            if (fileName == null || fileName.isEmpty()) {
                return false; // a form field, or a file input left empty: skipped
            }
            try {
                upload.startFile(fileName);
                writing = true;
                return false;
            } catch (RuntimeException e) {
                failure = e;
                return true;
            }
        }

        @Override
        public boolean content(ByteBuffer buffer, boolean last) {
            if (!writing || !buffer.hasRemaining()) {
                return false;
            }
            try {
                upload.write(buffer);
                return false;
            } catch (RuntimeException e) {
                failure = e;
                return true;
            }
        }

        @Override
        public boolean messageComplete() {
            complete = true;
            return false;
        }

        @Override
        public void earlyEOF() {
            complete = false;
        }
    }
}
