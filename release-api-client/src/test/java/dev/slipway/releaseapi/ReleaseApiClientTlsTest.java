package dev.slipway.releaseapi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.slipway.releaseapi.FeedException.Kind;
import dev.slipway.testing.Feeds;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS feeds: WireMock serving TLS with a certificate made in the test, as a vendor with a private CA would. */
class ReleaseApiClientTlsTest {

    private static final String RELEASES = "/acme/v1/products/acme/releases";
    private static final String FEED = Feeds.product("acme").with("1.0.0").json();

    @TempDir
    static Path keystoreDirectory;
    /** One keystore for the class: each keytool run starts a JVM. */
    private static SelfSignedKeystore forLoopback;

    private final ReleaseApiClient client = new ReleaseApiClient();
    private WireMockServer server;

    @BeforeAll
    static void createKeystore() throws Exception {
        forLoopback = SelfSignedKeystore.create(keystoreDirectory.resolve("loopback"), "ip:127.0.0.1");
    }

    @Test
    void aCustomSslContextTrustingTheServersCertificateFetchesTheFeedWithItsHeaders() throws Exception {
        start(forLoopback);
        FeedSource source = new FeedSource(httpsBase(), "acme", Map.of("Authorization", "Bearer private"),
                forLoopback.trustingIt(), null);

        FeedResponse response = client.fetch(source, null);

        assertThat(response).isInstanceOfSatisfying(FeedResponse.Fetched.class,
                fetched -> assertThat(fetched.catalog().releases()).hasSize(1));
        server.verify(getRequestedFor(urlPathEqualTo(RELEASES)).withHeader("Authorization", equalTo("Bearer private")));
    }

    @Test
    void wireMocksSelfSignedCertificateFailsWithTheDefaultTrust() {
        start(options());

        assertThatThrownBy(() -> client.fetch(FeedSource.of(httpsBase(), "acme"), null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.Tls))
                .hasMessage("TLS handshake with 127.0.0.1 failed (is caSecretRef the CA that signed its certificate?)");
    }

    @Test
    void aCertificateForAnotherHostFailsEvenWhenItsIssuerIsTrusted() throws Exception {
        SelfSignedKeystore keystore = SelfSignedKeystore.create(keystoreDirectory.resolve("other-host"),
                "dns:feeds.example.com");
        start(keystore);
        FeedSource source = new FeedSource(httpsBase(), "acme", Map.of(), keystore.trustingIt(), null);

        assertThatThrownBy(() -> client.fetch(source, null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.Tls));
    }

    @Test
    void trustForOneServerDoesNotLeakIntoTheDefaultClient() throws Exception {
        start(forLoopback);
        client.fetch(new FeedSource(httpsBase(), "acme", Map.of(), forLoopback.trustingIt(), null), null);

        assertThatThrownBy(() -> client.fetch(FeedSource.of(httpsBase(), "acme"), null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.Tls));
    }

    @Test
    void aRedirectFromHttpsToHttpIsRefused() throws Exception {
        start(forLoopback);
        server.stubFor(get(urlPathEqualTo(RELEASES)).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.1:" + server.port() + "/plain")));
        FeedSource source = new FeedSource(httpsBase(), "acme", Map.of(), forLoopback.trustingIt(), null);

        assertThatThrownBy(() -> client.fetch(source, null))
                .isInstanceOfSatisfying(FeedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.HttpStatus))
                .hasMessage("GET " + httpsBase() + "/v1/products/acme/releases answered HTTP 302 redirecting to http:"
                        + " refused (only to https, or to http from http)");
        server.verify(0, getRequestedFor(urlPathEqualTo("/plain")));
    }

    private void start(SelfSignedKeystore keystore) {
        start(options().keystorePath(keystore.path().toString()).keystoreType("PKCS12")
                .keystorePassword(keystore.password()).keyManagerPassword(keystore.password()));
    }

    private void start(WireMockConfiguration configuration) {
        server = new WireMockServer(configuration.bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort());
        server.start();
        server.stubFor(get(urlPathEqualTo(RELEASES)).willReturn(aResponse().withBody(FEED)));
    }

    private URI httpsBase() {
        return URI.create("https://127.0.0.1:" + server.httpsPort() + "/acme");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }
}
