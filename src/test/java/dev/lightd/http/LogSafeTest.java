package dev.lightd.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Request targets as the request log writes them: credentials in the query never reach a log. */
class LogSafeTest {

    private static final String T = "lightd_0123456789abcdef0123456789abcdef";

    @Test
    void tokenInTheQueryIsRedacted() {
        assertThat(LogSafe.target("/ws/minecraft-001", "token=" + T)).isEqualTo("/ws/minecraft-001?token=***");
        assertThat(LogSafe.target("/volumes/d6764075/files", "path=plugins&token=" + T + "&x=1"))
                .isEqualTo("/volumes/d6764075/files?path=plugins&token=***&x=1");
        assertThat(LogSafe.target("/a", "TOKEN=" + T + "&%74oken=" + T + "&api_key=k&token"))
                .isEqualTo("/a?TOKEN=***&%74oken=***&api_key=***&token=***")
                .doesNotContain(T);
    }

    @Test
    void otherQueriesStayAsTheyAre() {
        assertThat(LogSafe.target("/volumes", null)).isEqualTo("/volumes");
        assertThat(LogSafe.target("/volumes", "")).isEqualTo("/volumes");
        assertThat(LogSafe.target("/f", "path=token%3Dx&tokens=2")).isEqualTo("/f?path=token%3Dx&tokens=2");
        assertThat(LogSafe.target("/f", "%zz=1")).isEqualTo("/f?%zz=1");
    }
}
