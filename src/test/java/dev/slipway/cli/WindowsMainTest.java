package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real entry point: Quarkus boots, picocli dispatches, and standard output carries nothing but the JSON. */
@QuarkusMainTest
@TestProfile(WindowsMainTest.QuietRelaunch.class)
class WindowsMainTest {

    /**
     * The test harness relaunches Quarkus in one JVM, and Micrometer then warns about gauges registered twice; the
     * harness cannot tell log lines from standard output, so that harness-only warning is silenced here.
     */
    public static class QuietRelaunch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.category.\"io.micrometer.core.instrument.MeterRegistry\".level", "ERROR");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Launch({"windows", "--spec", "src/test/resources/windows/berlin.yaml", "--at", "2026-11-26T12:00:00Z"})
    void printsOnlyTheEvaluationAsJson(LaunchResult result) throws IOException {
        JsonNode evaluation = JSON.readTree(result.getOutput());

        assertThat(evaluation.get("reason").asText()).isEqualTo("OutsideWindow");
        assertThat(evaluation.get("nextEligibleStart").asText()).isEqualTo("2026-11-26T21:00:00Z");
    }

    @Test
    @Launch(value = {"windows", "--spec", "src/test/resources/windows/invalid-duration.yaml"}, exitCode = 2)
    void anInvalidSpecExitsTwoWithAJsonError(LaunchResult result) throws IOException {
        JsonNode error = JSON.readTree(result.getOutput()).get("error");

        assertThat(error.get("code").asText()).isEqualTo("InvalidSpec");
        assertThat(error.get("field").asText()).isEqualTo("maintenance.windows[0].duration");
        assertThat(result.getErrorOutput()).doesNotContain("Exception");
    }
}
