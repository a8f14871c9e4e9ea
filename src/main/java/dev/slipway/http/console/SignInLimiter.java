package dev.slipway.http.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** At most {@code limit} failed sign-ins per client address within {@code period}; more are refused (429). */
final class SignInLimiter {

    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int limit;
    private final Duration period;

    SignInLimiter(Clock clock, int limit, Duration period) {
        this.clock = clock;
        this.limit = limit;
        this.period = period;
    }

    boolean limited(String client) {
        Deque<Instant> recent = failures.get(client);
        if (recent == null) {
            return false;
        }
        synchronized (recent) {
            Instant since = clock.instant().minus(period);
            while (!recent.isEmpty() && !recent.peekFirst().isAfter(since)) {
                recent.pollFirst();
            }
            return recent.size() >= limit;
        }
    }

    void failed(String client) {
        Deque<Instant> recent = failures.computeIfAbsent(client, key -> new ArrayDeque<>());
        synchronized (recent) {
            recent.addLast(clock.instant());
        }
    }
}
