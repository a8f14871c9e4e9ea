package dev.slipway.http.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins per client address, as a token bucket on the injected clock: {@value #BURST} failures at once, then
 * one more every {@link #REFILL}. While an address has none left its credentials are not even reviewed (429), so a
 * guesser can neither try many tokens nor make the operator flood the API server with TokenReviews.
 */
@ApplicationScoped
public class FailedSignInLimiter {

    public static final int BURST = 10;
    static final Duration REFILL = Duration.ofSeconds(6);
    /** Above this many addresses, those whose bucket is full again are forgotten. */
    private static final int PRUNE_ABOVE = 4096;

    private record Bucket(double failuresLeft, Instant at) {
    }

    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public FailedSignInLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Zero when {@code address} may try to sign in; otherwise how long until it may. */
    public Duration waitBefore(String address) {
        double left = current(address, clock.instant()).failuresLeft();
        if (left >= 1) {
            return Duration.ZERO;
        }
        return Duration.ofMillis((long) Math.ceil((1 - left) * REFILL.toMillis()));
    }

    /** Spends one of the address's failures. */
    public void failed(String address) {
        Instant now = clock.instant();
        if (buckets.size() > PRUNE_ABOVE) {
            buckets.keySet().removeIf(key -> current(key, now).failuresLeft() >= BURST);
        }
        buckets.compute(address, (key, bucket) -> {
            Bucket refilled = refill(bucket, now);
            return new Bucket(Math.max(0, refilled.failuresLeft() - 1), now);
        });
    }

    private Bucket current(String address, Instant now) {
        return refill(buckets.get(address), now);
    }

    private static Bucket refill(Bucket bucket, Instant now) {
        if (bucket == null) {
            return new Bucket(BURST, now);
        }
        double earned = (double) Duration.between(bucket.at(), now).toMillis() / REFILL.toMillis();
        return new Bucket(Math.min(BURST, bucket.failuresLeft() + Math.max(0, earned)), now);
    }
}
