package dev.lightd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static dev.lightd.it.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Whatever a client sends, the answer is a 4xx in {"error": "..."} form: never a 500, a trace or HTML. */
class BadInputIT {

    @RegisterExtension
    static final DaemonExtension daemon = DaemonExtension.withDefaults()
            .withConfig(cfg -> ((ObjectNode) cfg.get("server"))
                    .put("max_body_bytes", 4096));
    static final ApiClient api = daemon.api();

    @Test
    void malformedJson() {
        var res = api.post("/network/ports", "{\"ip\": \"0.0.0.0\", ");
        assertThat(res.status()).isEqualTo(400);
        assertThat(res.json().get("error").asText()).startsWith("Invalid JSON body: ");
        assertThat(res.raw().headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    }

    @Test
    void emptyBodyWhereOneIsNeeded() {
        var res = api.post("/network/ports", null);
        assertThat(res.status()).isEqualTo(400);
        assertThat(res.json()).isEqualTo(json("{\"error\":\"Request body must be a JSON object\"}"));
    }

    @Test
    void wrongTypes() {
        assertThat(api.put("/network/ports/0.0.0.0/1/use", Map.of("in_use", "yes")).json())
                .isEqualTo(json("{\"error\":\"Field 'in_use' must be true or false\"}"));
        assertThat(api.post("/network/ports/bulk-delete", Map.of("ports", "all")).json())
                .isEqualTo(json("{\"error\":\"Field 'ports' must be an array\"}"));
        assertThat(api.post("/network/ports/bulk-delete", Map.of("ports", new int[] {1})).json())
                .isEqualTo(json("{\"error\":\"Field 'ports[0]' must be an object\"}"));
    }

    @Test
    void unknownRoute() {
        var res = api.get("/no/such/route");
        assertThat(res.status()).isEqualTo(404);
        assertThat(res.json()).isEqualTo(json("{\"error\":\"Route not found: GET /no/such/route\"}"));
    }

    @Test
    void wrongMethod() {
        var res = api.send("PATCH", "/network/ports", "{}");
        assertThat(res.status()).isEqualTo(405);
        assertThat(res.json()).isEqualTo(json("{\"error\":\"Method PATCH not allowed on /network/ports\"}"));
    }

    @Test
    void oversizedBody() {
        var res = api.post("/network/ports", "{\"ip\":\"" + "1".repeat(10_000) + "\"}");
        assertThat(res.status()).isEqualTo(413);
        assertThat(res.json()).isEqualTo(json("{\"error\":\"Request body too large\"}"));
    }

    @Test
    void oversizedChunkedBodyIsRefusedToo() throws Exception {
        String vol = api.post("/volumes", null).json().get("volume_id").asText();
        byte[] body = ("{\"path\":\"big.txt\",\"content\":\"" + "x".repeat(10_000) + "\"}").getBytes();
        // a body of unknown length goes chunked: Content-Length is not there to check
        var req = HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/volumes/" + vol + "/files"))
                .header("Authorization", "Bearer " + daemon.token())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        var res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(json(res.body())).isEqualTo(json("{\"error\":\"Request body too large\"}"));
        assertThat(daemon.dataDir().resolve("volumes").resolve(vol).resolve("big.txt")).doesNotExist();
    }

    @Test
    void unknownVolume() {
        for (String id : new String[] {"d6764075", "d6764075-c5f1-4045-9fb3-85315b85cb0f", "xyz", "d6764075%2F..%2F..", "%2e%2e"}) {
            var res = api.get("/volumes/" + id);
            assertThat(res.status()).as(id).isEqualTo(404);
            assertThat(res.json()).isEqualTo(json("{\"error\":\"Volume not found\"}"));
        }
    }

    @Test
    void pathClimbingAboveTheRootIsRefusedInJson() {
        var res = api.get("/volumes/../../etc/passwd");
        assertThat(res.status()).isEqualTo(400);
        assertThat(res.raw().headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(res.json().get("error").asText()).startsWith("Bad request: ");
    }

    @Test
    void nothingChangedByRefusedRequests() {
        assertThat(api.get("/network/ports").json()).isEqualTo(json("{\"ports\":[]}"));
    }
}
