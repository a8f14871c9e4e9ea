package dev.slipway.releaseapi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.slipway.releaseapi.FeedException.Kind;
import dev.slipway.testing.Feeds;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against a real HTTP server (WireMock on a loopback port) that misbehaves on purpose. */
class ReleaseApiClientTest {

    private static final String RELEASES = "/acme/v1/products/acme/releases";
    private static final String FEED = Feeds.product("acme").with("1.0.0").with("1.1.0").json();
    private static final String SECRET = "Bearer s3cr3t-token-value";
    private static final ReleaseApiClient.Limits SMALL = new ReleaseApiClient.Limits(Duration.ofSeconds(5),
            Duration.ofSeconds(10), 64 * 1024, 64 * 1024);
    private static final ReleaseApiClient.Limits IMPATIENT = new ReleaseApiClient.Limits(Duration.ofSeconds(5),
            Duration.ofSeconds(1), 64 * 1024, 64 * 1024);
    /** Longer than IMPATIENT's request timeout, so slow answers time out. */
    private static final int DELAY_MILLIS = 4_000;

    private static WireMockServer server;
    private final ReleaseApiClient client = new ReleaseApiClient(SMALL);
    private final ReleaseApiClient impatient = new ReleaseApiClient(IMPATIENT);

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void resetServer() {
        server.resetAll();
    }

    @Test
    void aFeedIsFetchedWithItsEtagAndA304CostsNoParsing() throws FeedException {
        serve(aResponse().withHeader("ETag", "\"v1\"").withBody(FEED));
        server.stubFor(get(urlPathEqualTo(RELEASES)).atPriority(1).withHeader("If-None-Match", equalTo("\"v1\""))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"v1\"")));

        FeedResponse first = client.fetch(source(), null);
        FeedResponse second = client.fetch(source(), "\"v1\"");

        assertThat(first).isInstanceOfSatisfying(FeedResponse.Fetched.class, fetched -> {
            assertThat(fetched.etag()).isEqualTo("\"v1\"");
            assertThat(fetched.catalog().releases()).hasSize(2);
        });
        assertThat(second).isInstanceOf(FeedResponse.NotModified.class);
        server.verify(1, getRequestedFor(urlPathEqualTo(RELEASES)).withHeader("If-None-Match", absent()));
        server.verify(1, getRequestedFor(urlPathEqualTo(RELEASES)).withHeader("If-None-Match", equalTo("\"v1\"")));
    }

    @Test
    void aServerIgnoringIfNoneMatchButSendingTheSameEtagIsNotParsedAgain() throws FeedException {
        serve(aResponse().withHeader("ETag", "\"v1\"").withBody("not parsed, so not an error"));

        assertThat(client.fetch(source(), "\"v1\"")).isInstanceOf(FeedResponse.NotModified.class);
    }

    @Test
    void withoutAnEtagTheContentHashServesAsOne() throws FeedException {
        serve(aResponse().withBody(FEED));

        FeedResponse.Fetched first = (FeedResponse.Fetched) client.fetch(source(), null);

        assertThat(first.etag()).isEqualTo("\"sha256:" + ReleaseApiClient.sha256Hex(FEED.getBytes(StandardCharsets.UTF_8)) + "\"");
        assertThat(client.fetch(source(), first.etag())).isInstanceOf(FeedResponse.NotModified.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 404, 401, 503})
    void anErrorStatusIsHttpStatusWithTheCode(int status) {
        serve(aResponse().withStatus(status).withBody("{\"error\": \"nope\"}"));

        assertFails(Kind.HttpStatus, "GET " + server.baseUrl() + RELEASES + " answered HTTP " + status);
    }

    @Test
    void a304WithoutAnEtagHavingBeenSentIsAnError() {
        serve(aResponse().withStatus(304));

        assertFails(Kind.HttpStatus, "GET " + server.baseUrl() + RELEASES + " answered HTTP 304");
    }

    @Test
    void noAnswerWithinTheRequestTimeoutIsTimeout() {
        serve(aResponse().withBody(FEED).withFixedDelay(DELAY_MILLIS));

        assertThatThrownBy(() -> impatient.fetch(source(), null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.Timeout))
                .hasMessage("GET " + server.baseUrl() + RELEASES + " got no answer within 1000 ms");
    }

    @Test
    void aBodyTricklingInSlowerThanTheRequestTimeoutIsTimeout() {
        serve(aResponse().withBody(FEED).withChunkedDribbleDelay(10, DELAY_MILLIS));

        assertThatThrownBy(() -> impatient.fetch(source(), null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.Timeout))
                .hasMessageStartingWith("GET " + server.baseUrl() + RELEASES);
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        FeedSource source = FeedSource.of(URI.create("http://127.0.0.1:" + closedPort + "/acme"), "acme");

        assertThatThrownBy(() -> client.fetch(source, null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.Unreachable))
                .hasMessage("GET http://127.0.0.1:" + closedPort + RELEASES + ": connection refused");
    }

    @Test
    void aConnectionResetMidResponseIsUnreachable() {
        serve(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertFails(Kind.Unreachable, "GET " + server.baseUrl() + RELEASES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html><body>502 Bad Gateway</body></html>", "{\"product\": \"acme\", \"generatedAt\": \"20"})
    void aBodyThatIsNotJsonOrCutShortIsInvalidFeed(String body) {
        serve(aResponse().withBody(body));

        assertFails(Kind.InvalidFeed, "feed is not valid JSON");
    }

    @Test
    void headersFromTheSourceAreSentButNeverAppearInMessages() throws FeedException {
        serve(aResponse().withBody(FEED));
        FeedSource source = sourceWithSecret();

        client.fetch(source, null);

        server.verify(getRequestedFor(urlPathEqualTo(RELEASES)).withHeader("Authorization", equalTo(SECRET))
                .withHeader("X-Tenant", equalTo("t-42")));
        for (ResponseDefinitionBuilder failure : new ResponseDefinitionBuilder[] {
                aResponse().withStatus(401).withHeader("WWW-Authenticate", "Bearer").withBody(SECRET),
                aResponse().withBody(FEED).withFixedDelay(DELAY_MILLIS),
                aResponse().withFault(Fault.EMPTY_RESPONSE)}) {
            server.resetAll();
            serve(failure);
            assertThatThrownBy(() -> impatient.fetch(source, null)).isInstanceOf(FeedException.class)
                    .satisfies(e -> assertThat(messagesOf(e)).doesNotContain("s3cr3t"));
        }
    }

    @Test
    void credentialsInTheUrlNeverAppearInMessages() {
        serve(aResponse().withStatus(500));
        URI withCredentials = URI.create("http://user:s3cr3t@127.0.0.1:" + server.port() + "/acme");

        assertThatThrownBy(() -> client.fetch(FeedSource.of(withCredentials, "acme"), null))
                .isInstanceOf(FeedException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("HTTP 500").doesNotContain("s3cr3t"));
    }

    @Test
    void aRedirectWithinTheOriginKeepsTheHeaders() throws FeedException {
        server.stubFor(get(urlPathEqualTo(RELEASES)).willReturn(aResponse().withStatus(301)
                .withHeader("Location", "/acme/v2/releases")));
        server.stubFor(get(urlPathEqualTo("/acme/v2/releases")).willReturn(aResponse().withBody(FEED)));

        assertThat(client.fetch(sourceWithSecret(), null)).isInstanceOf(FeedResponse.Fetched.class);
        server.verify(getRequestedFor(urlPathEqualTo("/acme/v2/releases")).withHeader("Authorization", equalTo(SECRET)));
    }

    @Test
    void aRedirectToAnotherOriginIsFollowedWithoutTheHeaders() throws FeedException {
        WireMockServer mirror = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        mirror.start();
        try {
            mirror.stubFor(get(urlPathEqualTo("/feed.json")).willReturn(aResponse().withBody(FEED)));
            server.stubFor(get(urlPathEqualTo(RELEASES)).willReturn(aResponse().withStatus(302)
                    .withHeader("Location", "http://127.0.0.1:" + mirror.port() + "/feed.json")));

            assertThat(client.fetch(sourceWithSecret(), null)).isInstanceOf(FeedResponse.Fetched.class);
            mirror.verify(1, getRequestedFor(urlPathEqualTo("/feed.json")).withHeader("Authorization", absent()));
        } finally {
            mirror.stop();
        }
    }

    @Test
    void aDownloadFromAnotherOriginThanTheFeedGetsNoHeaders() throws FeedException {
        WireMockServer cdn = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        cdn.start();
        try {
            byte[] bundle = {1, 2, 3};
            cdn.stubFor(get(urlPathEqualTo("/b.zip")).willReturn(aResponse().withBody(bundle)));
            server.stubFor(get(urlPathEqualTo("/acme/b.zip")).willReturn(aResponse().withBody(bundle)));
            String sha = ReleaseApiClient.sha256Hex(bundle);

            client.download(sourceWithSecret(), URI.create("http://127.0.0.1:" + cdn.port() + "/b.zip"), sha);
            client.download(sourceWithSecret(), URI.create(server.baseUrl() + "/acme/b.zip"), sha);

            cdn.verify(1, getRequestedFor(urlPathEqualTo("/b.zip")).withHeader("Authorization", absent()));
            server.verify(1, getRequestedFor(urlPathEqualTo("/acme/b.zip")).withHeader("Authorization", equalTo(SECRET)));
        } finally {
            cdn.stop();
        }
    }

    @Test
    void aRedirectLoopEndsAsHttpStatus() {
        serve(aResponse().withStatus(307).withHeader("Location", RELEASES));

        assertFails(Kind.HttpStatus, "GET " + server.baseUrl() + RELEASES + " answered HTTP 307 after 5 redirects");
    }

    @Test
    void aRedirectToAFileIsRefused() {
        serve(aResponse().withStatus(302).withHeader("Location", "file:/etc/passwd"));

        assertFails(Kind.HttpStatus, "GET " + server.baseUrl() + RELEASES + " answered HTTP 302 redirecting to file: refused");
    }

    @Test
    void aDownloadMatchingItsSha256IsReturned() throws FeedException {
        byte[] bundle = "bundle bytes".getBytes(StandardCharsets.UTF_8);
        server.stubFor(get(urlPathEqualTo("/acme/migrations/b.zip")).willReturn(aResponse().withBody(bundle)));

        byte[] downloaded = client.download(source(), URI.create(server.baseUrl() + "/acme/migrations/b.zip"),
                ReleaseApiClient.sha256Hex(bundle).toUpperCase());

        assertThat(downloaded).isEqualTo(bundle);
    }

    @Test
    void aDownloadNotMatchingItsSha256IsIntegrityMismatch() {
        byte[] bundle = "tampered".getBytes(StandardCharsets.UTF_8);
        server.stubFor(get(urlPathEqualTo("/acme/migrations/b.zip")).willReturn(aResponse().withBody(bundle)));
        String published = "0".repeat(64);

        assertThatThrownBy(() -> client.download(source(), URI.create(server.baseUrl() + "/acme/migrations/b.zip"),
                published))
                .isInstanceOfSatisfying(FeedException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.IntegrityMismatch))
                .hasMessage("download of " + server.baseUrl() + "/acme/migrations/b.zip has sha256 "
                        + ReleaseApiClient.sha256Hex(bundle) + " but the feed publishes " + published);
    }

    @Test
    void aDownloadLargerThanTheArtifactLimitIsTooLarge() {
        server.stubFor(get(urlPathEqualTo("/acme/migrations/b.zip"))
                .willReturn(aResponse().withBody(new byte[(int) SMALL.maxArtifactBytes() + 1])));

        assertThatThrownBy(() -> client.download(source(), URI.create(server.baseUrl() + "/acme/migrations/b.zip"),
                "0".repeat(64)))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TooLarge));
    }

    private static void serve(ResponseDefinitionBuilder response) {
        server.stubFor(get(urlPathEqualTo(RELEASES)).atPriority(10).willReturn(response));
    }

    private static FeedSource source() {
        return FeedSource.of(URI.create(server.baseUrl() + "/acme"), "acme");
    }

    private static FeedSource sourceWithSecret() {
        return new FeedSource(URI.create(server.baseUrl() + "/acme"), "acme",
                Map.of("Authorization", SECRET, "X-Tenant", "t-42"), null, null);
    }

    private void assertFails(Kind kind, String messageStart) {
        assertThatThrownBy(() -> client.fetch(source(), null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageStartingWith(messageStart);
    }

    /** The message of the exception and of every cause: what a log line or status condition could show. */
    private static String messagesOf(Throwable error) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }
}
