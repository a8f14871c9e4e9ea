package dev.slipway.releaseapi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.slipway.releaseapi.FeedException.Kind;
import dev.slipway.testing.Feeds;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feeds signed with Ed25519 (JDK's built-in EdDSA) over the exact body bytes, by header or by {@code .sig} URL. */
class SignedFeedTest {

    private static final String RELEASES = "/acme/v1/products/acme/releases";
    private static final byte[] FEED = Feeds.product("acme").with("1.0.0").json().getBytes(StandardCharsets.UTF_8);

    private static WireMockServer server;
    private static KeyPair vendor;
    private static KeyPair stranger;

    private final ReleaseApiClient client = new ReleaseApiClient();

    @BeforeAll
    static void start() throws GeneralSecurityException {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        KeyPairGenerator ed25519 = KeyPairGenerator.getInstance("Ed25519");
        vendor = ed25519.generateKeyPair();
        stranger = ed25519.generateKeyPair();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    @Test
    void aSignatureInTheHeaderIsAccepted() throws Exception {
        serveFeed(aResponse().withBody(FEED).withHeader(ReleaseApiClient.SIGNATURE_HEADER, sign(FEED, vendor)));

        assertThat(client.fetch(signedSource(), null)).isInstanceOf(FeedResponse.Fetched.class);
        server.verify(0, getRequestedFor(urlPathEqualTo(RELEASES + ".sig")));
    }

    @Test
    void aSignatureAtTheSigUrlIsAccepted() throws Exception {
        serveFeed(aResponse().withBody(FEED));
        server.stubFor(get(urlPathEqualTo(RELEASES + ".sig")).willReturn(aResponse().withBody(sign(FEED, vendor) + "\n")));

        assertThat(client.fetch(signedSource(), null)).isInstanceOf(FeedResponse.Fetched.class);
    }

    @Test
    void anUnsignedFeedIsUntrusted() {
        serveFeed(aResponse().withBody(FEED));

        assertUntrusted("feed is not signed, but releaseSource.publicKey requires a signature (X-Slipway-Signature header"
                + " or " + server.baseUrl() + RELEASES + ".sig)");
    }

    @Test
    void aSignatureByAnotherKeyIsUntrusted() throws Exception {
        serveFeed(aResponse().withBody(FEED).withHeader(ReleaseApiClient.SIGNATURE_HEADER, sign(FEED, stranger)));

        assertUntrusted("feed signature does not match releaseSource.publicKey");
    }

    @Test
    void aBodyChangedAfterSigningIsUntrusted() throws Exception {
        byte[] tampered = new String(FEED, StandardCharsets.UTF_8).replace("1.0.0", "9.0.0")
                .getBytes(StandardCharsets.UTF_8);
        server.stubFor(get(urlPathEqualTo(RELEASES + ".sig")).willReturn(aResponse().withBody(sign(FEED, vendor))));
        serveFeed(aResponse().withBody(tampered));

        assertUntrusted("feed signature does not match releaseSource.publicKey");
    }

    @Test
    void aSignatureThatIsNotBase64IsUntrusted() {
        serveFeed(aResponse().withBody(FEED).withHeader(ReleaseApiClient.SIGNATURE_HEADER, "not base64!"));

        assertUntrusted("feed signature is malformed");
    }

    @Test
    void aSignedFileFeedIsVerifiedAgainstItsSigFile(@TempDir Path directory) throws Exception {
        Path document = Files.write(directory.resolve("acme.json"), FEED);
        FeedSource source = new FeedSource(document.toUri(), "acme", Map.of(), null, vendor.getPublic());

        assertThatThrownBy(() -> client.fetch(source, null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.Untrusted));
        Files.writeString(directory.resolve("acme.json.sig"), sign(FEED, vendor));
        assertThat(client.fetch(source, null)).isInstanceOf(FeedResponse.Fetched.class);
    }

    @Test
    void withoutAKeyConfiguredSignaturesAreNotRequired() throws Exception {
        serveFeed(aResponse().withBody(FEED));

        assertThat(client.fetch(FeedSource.of(URI.create(server.baseUrl() + "/acme"), "acme"), null))
                .isInstanceOf(FeedResponse.Fetched.class);
    }

    private void assertUntrusted(String messageStart) {
        assertThatThrownBy(() -> client.fetch(signedSource(), null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.Untrusted))
                .hasMessageStartingWith(messageStart);
    }

    private static FeedSource signedSource() {
        return new FeedSource(URI.create(server.baseUrl() + "/acme"), "acme", Map.of(), null, vendor.getPublic());
    }

    private static void serveFeed(ResponseDefinitionBuilder response) {
        server.stubFor(get(urlPathEqualTo(RELEASES)).willReturn(response));
    }

    private static String sign(byte[] body, KeyPair signer) {
        return Feeds.sign(body, signer.getPrivate());
    }
}
