package dev.slipway.kubernetes;

import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.FeedResponse;
import dev.slipway.releaseapi.FeedSource;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.releaseapi.ReleaseCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * One poll per distinct (feed URL, product) per interval, however many resources follow it. The last good catalogue
 * is kept when a poll fails, so a flaky Release API never makes Slipway forget what it knew. A resource that finds its
 * feed being polled by another reconcile does not wait for the answer: it gets the last poll's state and looks again a
 * moment later.
 */
@ApplicationScoped
public class FeedCache {

    private static final Logger LOG = Logger.getLogger(FeedCache.class);

    /** What a resource learns from its feed. */
    public record FeedState(ReleaseCatalog catalog, String etag, Instant lastPollAt, PollResult lastResult,
            String lastError, Instant nextPollAt, Instant replayFloor) {

        FeedState lookAgainAt(Instant at) {
            return new FeedState(catalog, etag, lastPollAt, lastResult, lastError, at, replayFloor);
        }
    }

    /** How soon a resource that found its feed being polled by another reconcile looks again. */
    static final Duration POLL_IN_FLIGHT_RECHECK = Duration.ofSeconds(1);

    /** Outcome of the most recent poll. */
    public enum PollResult {
        Ok, NotModified, Error
    }

    private record Key(URI url, String product) {
    }

    private static final class Entry {
        ReleaseCatalog catalog;
        String etag;
        Instant lastPollAt;
        PollResult lastResult;
        String lastError;
        /** generatedAt of the newest feed accepted, here or (per a resource's status) before a restart. */
        Instant replayFloor;
        final AtomicLong lastSuccessEpochSecond = new AtomicLong();
        final ReentrantLock lock = new ReentrantLock();
        /** Set while a poll's HTTP request runs; read without the lock. */
        volatile boolean polling;
        /** What the last call that held the lock answered; read without the lock. */
        volatile FeedState last;

        void raiseReplayFloor(Instant generatedAt) {
            if (generatedAt != null && (replayFloor == null || generatedAt.isAfter(replayFloor))) {
                replayFloor = generatedAt;
            }
        }
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final ReleaseApiClient client;
    private final Clock clock;
    private final MeterRegistry metrics;

    public FeedCache(ReleaseApiClient client, Clock clock, MeterRegistry metrics) {
        this.client = client;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Returns the feed's state, polling first if the last poll is at least {@code interval} old. With a signed feed it
     * never accepts one generated before {@code acceptedBefore} (nullable): the newest feed a resource's status says was
     * accepted, so the replay check survives an operator restart that emptied this cache.
     */
    public FeedState get(FeedSource source, Duration interval, Instant acceptedBefore) {
        Key key = new Key(source.baseUrl(), source.product());
        Entry entry = entries.computeIfAbsent(key, k -> register(k));
        if (!entry.lock.tryLock()) {
            FeedState last = entry.last;
            if (entry.polling && last != null) {
                // Another reconcile is polling this feed right now: answer from the last poll and look again shortly,
                // rather than hold a reconciler thread for the HTTP round trip.
                return last.lookAgainAt(clock.instant().plus(POLL_IN_FLIGHT_RECHECK));
            }
            entry.lock.lock();
        }
        try {
            entry.raiseReplayFloor(acceptedBefore);
            Instant now = clock.instant();
            if (entry.lastPollAt == null || !now.isBefore(entry.lastPollAt.plus(interval))) {
                entry.polling = true;
                try {
                    poll(source, entry, now);
                } finally {
                    entry.polling = false;
                }
            }
            entry.last = new FeedState(entry.catalog, entry.etag, entry.lastPollAt, entry.lastResult, entry.lastError,
                    entry.lastPollAt.plus(interval), entry.replayFloor);
            return entry.last;
        } finally {
            entry.lock.unlock();
        }
    }

    private Entry register(Key key) {
        Entry entry = new Entry();
        Gauge.builder("slipway_feed_last_success_timestamp_seconds", entry.lastSuccessEpochSecond, AtomicLong::get)
                .description("When the Release API last answered a poll of this feed (Unix seconds; a 304 counts).")
                .tags("source", label(key.url()), "product", key.product()).register(metrics);
        return entry;
    }

    private void poll(FeedSource source, Entry entry, Instant now) {
        try {
            FeedResponse response = client.fetch(source, entry.catalog == null ? null : entry.etag);
            if (response instanceof FeedResponse.Fetched fetched) {
                rejectReplay(source, entry, fetched.catalog());
                entry.catalog = fetched.catalog();
                entry.raiseReplayFloor(fetched.catalog().generatedAt());
                entry.etag = fetched.etag();
                entry.lastResult = PollResult.Ok;
            } else {
                entry.lastResult = PollResult.NotModified;
            }
            entry.lastError = null;
            entry.lastSuccessEpochSecond.set(now.getEpochSecond());
        } catch (FeedException e) {
            entry.lastResult = PollResult.Error;
            entry.lastError = e.kind() + ": " + e.getMessage();
            LOG.warnf("Release API %s for product %s: %s", label(source.baseUrl()), source.product(), entry.lastError);
        }
        entry.lastPollAt = now;
        String result = switch (entry.lastResult) {
            case Ok -> "ok";
            case NotModified -> "not_modified";
            case Error -> "error";
        };
        Counter.builder("slipway_feed_polls_total")
                .description("Polls of the Release API, by feed and result (ok, not_modified, error).")
                .tags("source", label(source.baseUrl()), "product", source.product(), "result", result)
                .register(metrics).increment();
    }

    /** With signed feeds, a feed older than one already accepted is a replay or a downgrade attack. */
    private static void rejectReplay(FeedSource source, Entry entry, ReleaseCatalog fetched) throws FeedException {
        if (source.publicKey() != null && entry.replayFloor != null
                && fetched.generatedAt().isBefore(entry.replayFloor)) {
            throw new FeedException(FeedException.Kind.Untrusted, "feed generatedAt " + fetched.generatedAt()
                    + " is older than the accepted " + entry.replayFloor + " (replayed or downgraded feed)");
        }
    }

    /** A metric label for a feed: scheme, host, port and path, never credentials or query strings. */
    static String label(URI url) {
        return url.getScheme() + "://" + (url.getHost() == null ? "" : url.getHost())
                + (url.getPort() < 0 ? "" : ":" + url.getPort()) + url.getPath();
    }
}
