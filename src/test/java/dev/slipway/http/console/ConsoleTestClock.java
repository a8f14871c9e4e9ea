package dev.slipway.http.console;

import dev.slipway.testing.AdjustableClock;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Instant;

/** The application's Clock in console tests, moved forward by the test to expire sessions and rate limits. */
@Alternative
@Singleton
public class ConsoleTestClock extends AdjustableClock {

    public ConsoleTestClock() {
        super(Instant.parse("2026-11-26T12:00:00Z"));
    }
}
