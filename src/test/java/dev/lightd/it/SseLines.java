package dev.lightd.it;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A plain HTTP client reading a server's log event stream line by line, as EventSource does (key in the query). */
final class SseLines {

    private SseLines() {}

    /** Reads `/api/servers/NAME/logs?follow=true&lines=1` into lines on a thread of its own until the stream ends. */
    static Thread follow(int mcctlPort, String key, String server, List<String> lines) {
        return Thread.ofVirtual().start(() -> read(mcctlPort, key, server, lines));
    }

    private static void read(int mcctlPort, String key, String server, List<String> lines) {
        read(URI.create("http://127.0.0.1:" + mcctlPort + "/api/servers/" + server + "/logs?follow=true&lines=1&api_key="
                + key), lines);
    }

    /** Reads any event stream (the URL carries its credentials, as EventSource's do) into lines on a thread of its own. */
    static Thread follow(URI url, List<String> lines) {
        return Thread.ofVirtual().start(() -> read(url, lines));
    }

    private static void read(URI url, List<String> lines) {
        try {
            HttpResponse<InputStream> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isEmpty()) {
                        lines.add(line);
                    }
                }
            }
        } catch (Exception e) {
            lines.add("error: " + e);
        }
    }
}
