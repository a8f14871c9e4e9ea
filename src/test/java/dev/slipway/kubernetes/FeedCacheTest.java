package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.releaseapi.FeedSource;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.testing.FeedServer;
import dev.slipway.testing.Feeds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared feed cache against a real HTTP feed server: a signed feed older than one already accepted is refused as a
 * replay (or downgrade), in this process and after a restart that emptied the cache, and the last good catalogue stays.
 */
class FeedCacheTest {

    private static final String NEWER = "2026-11-20T10:00:00Z";
    private static final String OLDER = "2026-11-01T10:00:00Z";
    private static final String RELEASES = "/v/v1/products/shop/releases";
    /** Zero: every call polls, so each step of a test sees what the server serves now. */
    private static final Duration EVERY_CALL = Duration.ZERO;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private FeedServer server;
    private KeyPair vendor;

    @BeforeEach
    void start() throws Exception {
        server = new FeedServer();
        vendor = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anOlderSignedFeedIsRefusedAndTheAcceptedCatalogueKept() throws Exception {
        FeedCache cache = newCache();
        server.serveSignedFeed("v", "shop", Feeds.product("shop").with("1.0.0").with("1.1.0").generatedAt(NEWER).json(),
                "\"new\"", vendor.getPrivate());
        FeedCache.FeedState accepted = cache.get(signedSource(), EVERY_CALL, null);

        server.serveSignedFeed("v", "shop", Feeds.product("shop").with("1.0.0").generatedAt(OLDER).json(), "\"old\"",
                vendor.getPrivate());
        FeedCache.FeedState replayed = cache.get(signedSource(), EVERY_CALL, null);

        assertThat(accepted.lastResult()).isEqualTo(FeedCache.PollResult.Ok);
        assertThat(accepted.replayFloor()).isEqualTo(Instant.parse(NEWER));
        assertThat(replayed.lastResult()).isEqualTo(FeedCache.PollResult.Error);
        assertThat(replayed.lastError()).startsWith("Untrusted: feed generatedAt " + OLDER)
                .contains("older than the accepted " + NEWER, "replayed or downgraded");
        assertThat(replayed.catalog().releases()).hasSize(2);
        assertThat(replayed.catalog().generatedAt()).isEqualTo(Instant.parse(NEWER));
        assertThat(replayed.etag()).isEqualTo("\"new\"");
    }

    @Test
    void theReplayCheckSurvivesARestartThroughTheFloorRecordedInStatus() throws Exception {
        server.serveSignedFeed("v", "shop", Feeds.product("shop").with("1.0.0").generatedAt(OLDER).json(), "\"old\"",
                vendor.getPrivate());

        FeedCache.FeedState afterRestart = newCache().get(signedSource(), EVERY_CALL, Instant.parse(NEWER));

        assertThat(afterRestart.lastResult()).isEqualTo(FeedCache.PollResult.Error);
        assertThat(afterRestart.lastError()).contains("older than the accepted " + NEWER);
        assertThat(afterRestart.catalog()).isNull();
        assertThat(afterRestart.replayFloor()).isEqualTo(Instant.parse(NEWER));
    }

    @Test
    void aNewerOrEquallyOldSignedFeedIsAcceptedAndRaisesTheFloor() throws Exception {
        FeedCache cache = newCache();
        server.serveSignedFeed("v", "shop", Feeds.product("shop").with("1.0.0").generatedAt(NEWER).json(), "\"a\"",
                vendor.getPrivate());
        FeedCache.FeedState sameInstant = cache.get(signedSource(), EVERY_CALL, Instant.parse(NEWER));
        String newest = "2026-11-25T10:00:00Z";
        server.serveSignedFeed("v", "shop", Feeds.product("shop").with("1.0.0").with("2.0.0").generatedAt(newest).json(),
                "\"b\"", vendor.getPrivate());

        FeedCache.FeedState newer = cache.get(signedSource(), EVERY_CALL, Instant.parse(NEWER));

        assertThat(sameInstant.lastResult()).isEqualTo(FeedCache.PollResult.Ok);
        assertThat(newer.lastResult()).isEqualTo(FeedCache.PollResult.Ok);
        assertThat(newer.catalog().releases()).hasSize(2);
        assertThat(newer.replayFloor()).isEqualTo(Instant.parse(newest));
    }

    @Test
    void withoutAPublicKeyAnOlderFeedIsTakenAsTheVendorServesIt() {
        FeedCache cache = newCache();
        server.serveFeed("v", "shop", Feeds.product("shop").with("1.0.0").with("1.1.0").generatedAt(NEWER).json(), "\"n\"");
        cache.get(unsignedSource(), EVERY_CALL, null);
        server.serveFeed("v", "shop", Feeds.product("shop").with("1.0.0").generatedAt(OLDER).json(), "\"o\"");

        FeedCache.FeedState state = cache.get(unsignedSource(), EVERY_CALL, null);

        assertThat(state.lastResult()).isEqualTo(FeedCache.PollResult.Ok);
        assertThat(state.catalog().releases()).hasSize(1);
    }

    @Test
    void aResourceThatFindsItsFeedBeingPolledGetsTheLastStateAndLooksAgainShortly() throws Exception {
        FeedCache cache = newCache();
        server.serveFeed("v", "shop", Feeds.product("shop").with("1.0.0").json(), "\"a\"");
        cache.get(unsignedSource(), EVERY_CALL, null);
        server.wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(RELEASES)).atPriority(0).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(304).withFixedDelay(5_000)));
        java.util.concurrent.CompletableFuture<FeedCache.FeedState> slowPoll = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> cache.get(unsignedSource(), EVERY_CALL, null));
        org.awaitility.Awaitility.await().until(() -> server.requestsTo(RELEASES).size() == 2);

        FeedCache.FeedState follower = cache.get(unsignedSource(), EVERY_CALL, null);

        assertThat(slowPoll).as("the poll still waits for the server").isNotDone();
        assertThat(follower.lastResult()).isEqualTo(FeedCache.PollResult.Ok);
        assertThat(follower.catalog().releases()).hasSize(1);
        assertThat(follower.nextPollAt()).isEqualTo(clock.instant().plus(FeedCache.POLL_IN_FLIGHT_RECHECK));
        assertThat(slowPoll.get().lastResult()).isEqualTo(FeedCache.PollResult.NotModified);
        assertThat(server.requestsTo(RELEASES)).as("the follower sent no request of its own").hasSize(2);
    }

    private FeedCache newCache() {
        return new FeedCache(new ReleaseApiClient(), clock, new SimpleMeterRegistry());
    }

    private FeedSource signedSource() {
        return new FeedSource(URI.create(server.baseUrl("v")), "shop", Map.of(), null, vendor.getPublic());
    }

    private FeedSource unsignedSource() {
        return new FeedSource(URI.create(server.baseUrl("v")), "shop", Map.of(), null, null);
    }
}
