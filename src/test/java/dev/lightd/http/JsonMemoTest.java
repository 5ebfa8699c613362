package dev.lightd.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** A list route's JSON is made again whenever what it shows changed, and only then. */
class JsonMemoTest {

    record Port(String ip, int port, boolean inUse) {}

    final List<Object> serialised = new ArrayList<>();
    final Function<Object, String> serialise = v -> {
        serialised.add(v);
        return v.toString();
    };
    final JsonMemo memo = new JsonMemo();

    String json(Object value) {
        return new String(memo.json(value, serialise), StandardCharsets.UTF_8);
    }

    @Test
    void anEqualValueIsAnsweredWithTheLastBytes() {
        json(Map.of("ports", List.of(new Port("127.0.0.1", 1, false))));
        json(Map.of("ports", List.of(new Port("127.0.0.1", 1, false))));
        assertThat(serialised).hasSize(1);
    }

    @Test
    void aChangeAnywhereInTheValueIsSerialisedAgain() {
        json(Map.of("ports", List.of(new Port("127.0.0.1", 1, false))));
        String changed = json(Map.of("ports", List.of(new Port("127.0.0.1", 1, true))));
        assertThat(changed).contains("inUse=true");
        String added = json(Map.of("ports", List.of(new Port("127.0.0.1", 1, true), new Port("127.0.0.1", 2, false))));
        assertThat(added).contains("port=2");
        assertThat(json(Map.of("ports", List.of()))).isEqualTo("{ports=[]}");
        assertThat(serialised).hasSize(4);
    }

    @Test
    void mapsBuiltForEachCallCompareByContent() {
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("state", "running");
        first.put("container_id", null);
        Map<String, Object> same = new LinkedHashMap<>(first);
        Map<String, Object> stopped = new LinkedHashMap<>(first);
        stopped.put("state", "stopped");
        json(List.of(first));
        json(List.of(same));
        assertThat(serialised).hasSize(1);
        assertThat(json(List.of(stopped))).contains("state=stopped");
        assertThat(serialised).hasSize(2);
    }
}
