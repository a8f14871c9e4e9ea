package dev.slipway.http.console;

import dev.slipway.testing.WithoutOperatorProfile;
import java.util.Map;
import java.util.Set;

/** The console on, with an adjustable Clock. */
public class ConsoleProfile extends WithoutOperatorProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("slipway.console.enabled", "true");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ConsoleTestClock.class);
    }
}
