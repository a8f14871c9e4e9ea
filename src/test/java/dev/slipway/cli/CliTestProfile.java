package dev.slipway.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * For {@code @QuarkusMainTest}s, which launch the application several times in one JVM. From the second launch on,
 * the test harness's console capture hands log records (Micrometer's "gauge already registered", Flyway's INFO lines)
 * to the captured standard output, although the application logs to standard error
 * ({@code quarkus.log.console.stderr=true}; the packaged jar keeps stdout clean). The tests assert that standard
 * output holds only the command's result, so console logging is off here.
 */
public class CliTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.log.console.enable", "false");
    }
}
