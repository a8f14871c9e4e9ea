package dev.slipway.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.AdjustableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailedSignInLimiterTest {

    private final AdjustableClock clock = new AdjustableClock(Instant.parse("2026-12-06T01:00:00Z"));
    private final FailedSignInLimiter limiter = new FailedSignInLimiter(clock);

    @Test
    void anAddressThatUsedUpItsFailuresWaitsForTheNextOneWhileOthersDoNot() {
        for (int i = 0; i < FailedSignInLimiter.BURST; i++) {
            assertThat(limiter.waitBefore("192.0.2.1")).as("failure %d", i).isZero();
            limiter.failed("192.0.2.1");
        }

        assertThat(limiter.waitBefore("192.0.2.1")).isEqualTo(FailedSignInLimiter.REFILL);
        assertThat(limiter.waitBefore("192.0.2.2")).isZero();

        clock.advance(FailedSignInLimiter.REFILL.minusSeconds(1));
        assertThat(limiter.waitBefore("192.0.2.1")).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.waitBefore("192.0.2.1")).isZero();
        limiter.failed("192.0.2.1");
        assertThat(limiter.waitBefore("192.0.2.1")).isPositive();
    }
}
