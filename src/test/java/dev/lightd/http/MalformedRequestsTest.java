package dev.lightd.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MalformedRequestsTest {

    @Test
    void aPercentMustStartTwoHexDigits() {
        assertThat(MalformedRequests.wellFormed("/api/worlds/%")).isFalse();
        assertThat(MalformedRequests.wellFormed("/api/worlds/%4")).isFalse();
        assertThat(MalformedRequests.wellFormed("/api/worlds/%zz")).isFalse();
        assertThat(MalformedRequests.wellFormed("/a/%G0/b")).isFalse();
        assertThat(MalformedRequests.wellFormed("/a/%2")).isFalse();
        assertThat(MalformedRequests.wellFormed("path=a%2&force=true")).isFalse();
        assertThat(MalformedRequests.wellFormed("force=%")).isFalse();
    }

    @Test
    void wellFormedEscapesAndPlainPathsPass() {
        assertThat(MalformedRequests.wellFormed("/api/worlds/my%20world")).isTrue();
        assertThat(MalformedRequests.wellFormed("/a/%2F%2f/%25")).isTrue();
        assertThat(MalformedRequests.wellFormed("/volumes")).isTrue();
        assertThat(MalformedRequests.wellFormed("path=a%2Fb+c&force=true")).isTrue();
        assertThat(MalformedRequests.wellFormed("")).isTrue();
        assertThat(MalformedRequests.wellFormed(null)).isTrue();
    }

    @Test
    void onlyACharsetTheJvmKnowsPasses() {
        assertThat(MalformedRequests.knownCharset(null)).isTrue();
        assertThat(MalformedRequests.knownCharset("application/json")).isTrue();
        assertThat(MalformedRequests.knownCharset("application/json; charset=UTF-8")).isTrue();
        assertThat(MalformedRequests.knownCharset("application/json;charset=\"utf-16\"")).isTrue();
        assertThat(MalformedRequests.knownCharset("application/json; charset=nonsense")).isFalse();
        assertThat(MalformedRequests.knownCharset("application/json; CHARSET=@@")).isFalse();
        assertThat(MalformedRequests.knownCharset("text/plain; charset=")).isFalse();
    }
}
