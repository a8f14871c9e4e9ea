package dev.slipway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KubeDurationTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"90m, PT1H30M", "1h30m, PT1H30M", "62h, PT62H", "45m, PT45M", "30s, PT30S", "1.5h, PT1H30M",
            ".5h, PT30M", "300ms, PT0.3S", "2h45m30s, PT2H45M30S", "0, PT0S", "1us, PT0.000001S", "1µs, PT0.000001S",
            "7ns, PT0.000000007S"})
    void parsesKubernetesNotation(String text, Duration expected) {
        assertThat(KubeDuration.parse(text, "spec.timeout")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"", " ", "5", "1d", "-5m", "h", "1h 30m", "1H", "PT5M", "5m-", "99999999999999999h"})
    void rejectsAnythingElseNamingTheField(String text) {
        assertThatThrownBy(() -> KubeDuration.parse(text, "spec.timeout"))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        invalid -> assertThat(invalid.field()).isEqualTo("spec.timeout"));
    }

    @ParameterizedTest(name = "{0} formats as {1}")
    @CsvSource({"PT1H30M, 1h30m", "PT45M, 45m", "PT168H, 168h", "PT0S, 0s", "PT0.5S, 500ms"})
    void formatsInTheSameNotation(Duration duration, String expected) {
        assertThat(KubeDuration.format(duration)).isEqualTo(expected);
    }
}
