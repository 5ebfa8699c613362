package dev.lightd.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A multipart/form-data body as a browser's FormData makes it (mcctl-console appends each file as
 * {@code files}), sent the way the console's BFF forwards it: streamed, so chunked with no
 * Content-Length, or with a Content-Length when asked.
 */
final class Multipart {

    static final String BOUNDARY = "----LightdTestBoundary7MA4YWxkTrZu0gW";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Part(String field, String fileName, byte[] content) {}

    private final List<Part> parts = new ArrayList<>();

    Multipart file(String fileName, byte[] content) {
        parts.add(new Part("files", fileName, content));
        return this;
    }

    Multipart field(String name, String value) {
        parts.add(new Part(name, null, value.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** A part with a Content-Disposition written as given, for names a browser would never send. */
    Multipart rawFile(String disposition, byte[] content) {
        parts.add(new Part(null, disposition, content));
        return this;
    }

    byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Part p : parts) {
                out.write(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.UTF_8));
                String disposition = p.field() == null ? p.fileName()
                        : "form-data; name=\"" + p.field() + "\""
                        + (p.fileName() == null ? "" : "; filename=\"" + p.fileName() + "\"");
                out.write(("Content-Disposition: " + disposition + "\r\n").getBytes(StandardCharsets.UTF_8));
                if (p.field() == null || p.fileName() != null) {
                    out.write("Content-Type: application/octet-stream\r\n".getBytes(StandardCharsets.UTF_8));
                }
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
                out.write(p.content());
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** POSTs the body streamed (chunked, as a fetch with a stream body does). */
    ApiClient.Response postChunked(String url, Map<String, String> headers) {
        byte[] body = body();
        return send(url, headers, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    }

    /** POSTs the body with its Content-Length. */
    ApiClient.Response postSized(String url, Map<String, String> headers) {
        return send(url, headers, HttpRequest.BodyPublishers.ofByteArray(body()));
    }

    /** POSTs a body the test is still writing (chunked); the answer comes when the daemon has read it all. */
    static CompletableFuture<HttpResponse<String>> postStreaming(String url, Map<String, String> headers, InputStream body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
        headers.forEach(b::header);
        return HTTP.sendAsync(b.POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs bytes as a multipart body of this boundary, whatever they are. */
    static ApiClient.Response postBytes(String url, Map<String, String> headers, byte[] body) {
        return send(url, headers, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static ApiClient.Response send(String url, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
        headers.forEach(b::header);
        try {
            HttpResponse<String> res = HTTP.send(b.POST(body).build(), HttpResponse.BodyHandlers.ofString());
            return new ApiClient.Response(res.statusCode(), res.body(), res);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET whose answer is kept as bytes, with its headers. */
    static HttpResponse<byte[]> download(String url, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120));
        headers.forEach(b::header);
        try {
            return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
