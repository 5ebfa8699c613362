package dev.lightd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A java.net.http client for one face of the daemon, with JSON in and out. */
public final class ApiClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiClient(String baseUrl, String bearerToken) {
        this.baseUrl = baseUrl;
        if (bearerToken != null) {
            headers.put("Authorization", "Bearer " + bearerToken);
        }
    }

    private ApiClient(String baseUrl, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.headers.putAll(headers);
    }

    /** A copy that sends one more header (or replaces it). */
    public ApiClient withHeader(String name, String value) {
        ApiClient copy = new ApiClient(baseUrl, headers);
        copy.headers.put(name, value);
        return copy;
    }

    public ApiClient withoutHeader(String name) {
        ApiClient copy = new ApiClient(baseUrl, headers);
        copy.headers.remove(name);
        return copy;
    }

    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    /** body: null for none, a String sent as is, anything else serialised as JSON. */
    public Response send(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(120));
            headers.forEach(b::header);
            HttpRequest.BodyPublisher publisher;
            if (body == null) {
                publisher = HttpRequest.BodyPublishers.noBody();
            } else {
                String text = body instanceof String s ? s : MAPPER.writeValueAsString(body);
                publisher = HttpRequest.BodyPublishers.ofString(text);
                b.header("Content-Type", "application/json");
            }
            HttpResponse<String> res = HTTP.send(b.method(method, publisher).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(res.statusCode(), res.body(), res);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Parses a JSON literal written in a test, for exact comparisons with {@code isEqualTo}. */
    public static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
