package dev.lightd.auth;

import dev.lightd.ServiceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenTtlTest {

    @ParameterizedTest
    @CsvSource({"30s,30", "15m,900", "1h,3600", "7d,604800", "365d,31536000"})
    void parsesNumberAndUnit(String text, long seconds) {
        assertThat(TokenTtl.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "h", "0s", "-1h", "1w", "1.5h", "1 h", "01h", "366d", "1H", "9999999999s"})
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> TokenTtl.parse(text))
                .isInstanceOf(ServiceException.class)
                .hasMessageStartingWith("Invalid ttl");
    }
}
