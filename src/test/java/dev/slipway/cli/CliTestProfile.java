package dev.slipway.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * For {@code @QuarkusMainTest}s that launch the application several times in one JVM: Micrometer warns on every
 * relaunch that its gauges already exist, and that warning lands in the captured standard output, which the tests
 * require to hold only the command's result. A single real launch never sees it.
 */
public class CliTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.log.category.\"io.micrometer.core.instrument.MeterRegistry\".level", "ERROR");
    }
}
