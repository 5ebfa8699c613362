package dev.lightd.http;

import dev.lightd.ServiceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonBodyTest {

    private static String refusal(String text) {
        try {
            JsonBody.parse(text);
        } catch (ServiceException e) {
            assertThat(e.kind()).isEqualTo(ServiceException.Kind.BAD_REQUEST);
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void nestingPastTheLimitIsABadRequestNotACrash() {
        assertThat(refusal("[".repeat(1_001) + "]".repeat(1_001)))
                .isEqualTo("Invalid JSON body: nested more than 1000 deep");
        assertThat(refusal("{\"a\":" + "[".repeat(5_000))).isEqualTo("Invalid JSON body: nested more than 1000 deep");
    }

    @Test
    void aNumberPastTheLimitIsABadRequestNotACrash() {
        assertThat(refusal("{\"a\":" + "9".repeat(1_001) + "}"))
                .isEqualTo("Invalid JSON body: a number longer than 1000 digits");
        assertThat(refusal("{\"a\":1." + "9".repeat(1_001) + "}"))
                .isEqualTo("Invalid JSON body: a number longer than 1000 digits");
    }

    @Test
    void trailingValuesNameNoJavaType() {
        assertThat(refusal("{\"a\":1}{\"b\":2}")).isEqualTo("Invalid JSON body: more than one JSON value");
        assertThat(refusal("{\"a\":1} x")).startsWith("Invalid JSON body:").doesNotContain("com.").doesNotContain("Feature");
    }

    @Test
    void ordinarySyntaxErrorsKeepTheirPlace() {
        assertThat(refusal("{\"a\":}")).startsWith("Invalid JSON body: Unexpected character")
                .endsWith("(line 1, column 6)").doesNotContain("`");
        assertThat(refusal("{\"a\":1")).startsWith("Invalid JSON body:").doesNotContain("com.fasterxml").doesNotContain("Source");
    }

    @Test
    void withinTheLimitsItParses() {
        assertThat(JsonBody.parse("{\"a\":" + "[".repeat(900) + "]".repeat(900) + "}").has("a")).isTrue();
        assertThatThrownBy(() -> JsonBody.parse("[]")).hasMessage("Request body must be a JSON object");
    }
}
