package dev.slipway.kubernetes;

import dev.slipway.api.v1alpha1.status.Phase;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.api.v1alpha1.spec.PolicySpec;
import dev.slipway.testing.FeedServer;
import dev.slipway.testing.Feeds;
import dev.slipway.testing.OperatorTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.slipway.api.v1alpha1.spec.SecretKeyRef;
import dev.slipway.api.v1alpha1.spec.SecretRef;
import dev.slipway.releaseapi.SelfSignedKeystore;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
@WithKubernetesTestServer
class FeedPollingOperatorTest extends OperatorTestBase {

    private final FeedServer feeds = new FeedServer();

    @AfterEach
    void stopFeeds() {
        feeds.close();
    }

    @Test
    void fiftyResourcesOnTwoFeedsCostTwoRequestsPerIntervalAndAnUnchangedFeedIsA304() {
        String feed = Feeds.product("acme").with("1.0.0").with("1.1.0").with("1.2.0").json();
        feeds.serveFeed("vendor-a", "acme", feed, "\"a1\"");
        feeds.serveFeed("vendor-b", "acme", feed, "\"b1\"");
        for (int ns = 0; ns < 5; ns++) {
            namespace("poll-" + ns);
            for (int i = 0; i < 10; i++) {
                String source = i % 2 == 0 ? "vendor-a" : "vendor-b";
                ManagedUpgrade resource = managedUpgrade("poll-" + ns, "app-" + i, feeds.baseUrl(source), "acme", "1.0.0");
                resource.getSpec().setPolicy(new PolicySpec());
                resource.getSpec().getPolicy().setApproval(Approval.Manual);
                client.resource(resource).create();
            }
        }

        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> polled().size() == 50 && polled().stream()
                        .allMatch(r -> r.getStatus().getPhase() == Phase.WaitingForApproval));
        assertThat(polled()).allSatisfy(r -> {
            assertThat(r.getStatus().getTargetVersion()).isEqualTo("1.2.0");
            assertThat(r.getStatus().getPlan().hops()).extracting("version").containsExactly("1.2.0");
        });
        assertThat(feeds.requestsTo("/vendor-a/v1/products/acme/releases")).hasSize(1);
        assertThat(feeds.requestsTo("/vendor-b/v1/products/acme/releases")).hasSize(1);

        // One interval later every resource has seen the next poll, which was one conditional request per feed.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> allPolledWith("NotModified"));
        for (String source : List.of("vendor-a", "vendor-b")) {
            List<ServeEvent> requests = feeds.requestsTo("/" + source + "/v1/products/acme/releases");
            assertThat(requests).hasSize(2);
            assertThat(requests.get(1).getResponse().getStatus()).isEqualTo(304);
            assertThat(requests.get(1).getRequest().getHeader("If-None-Match")).isNotBlank();
        }
    }

    @Test
    void aFailingFeedKeepsTheLastGoodCatalogueAndSaysWhy() {
        namespace("flaky-feed");
        feeds.serveFeed("flaky", "acme", Feeds.product("acme").with("1.0.0").with("1.3.0").json(), "\"f1\"");
        ManagedUpgrade resource = managedUpgrade("flaky-feed", "app", feeds.baseUrl("flaky"), "acme", "1.0.0");
        resource.getSpec().setPolicy(new PolicySpec());
        resource.getSpec().getPolicy().setApproval(Approval.Manual);
        client.resource(resource).create();
        awaitStatus("flaky-feed", "app", r -> "1.3.0".equals(r.getStatus().getTargetVersion()));

        feeds.wireMock().resetAll();
        feeds.wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(500)));
        ManagedUpgrade failing = awaitStatus("flaky-feed", "app",
                r -> "Error".equals(r.getStatus().getLastFeedPoll().result()));
        assertThat(failing.getStatus().getTargetVersion()).isEqualTo("1.3.0");
        assertThat(failing.getStatus().getLastFeedPoll().message()).contains("HTTP 500");
        assertThat(failing.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("ReleasesRetrieved");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getMessage()).contains("using the catalogue from the last good poll");
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                client.v1().events().inNamespace("flaky-feed").list().getItems())
                .extracting(e -> e.getReason()).contains("FeedError"));
    }

    @Test
    void aSignedFeedReplayedWithAnOlderGeneratedAtIsRefusedAndTheAcceptedOneKept() throws Exception {
        namespace("signed-feed");
        KeyPair vendor = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        feeds.serveSignedFeed("signed", "acme", Feeds.product("acme").with("1.0.0").with("1.4.0")
                .generatedAt("2026-11-20T10:00:00Z").json(), "\"s2\"", vendor.getPrivate());
        ManagedUpgrade resource = managedUpgrade("signed-feed", "app", feeds.baseUrl("signed"), "acme", "1.0.0");
        resource.getSpec().getReleaseSource().setPublicKey(
                Base64.getEncoder().encodeToString(vendor.getPublic().getEncoded()));
        resource.getSpec().setPolicy(new PolicySpec());
        resource.getSpec().getPolicy().setApproval(Approval.Manual);
        client.resource(resource).create();
        ManagedUpgrade accepted = awaitStatus("signed-feed", "app",
                r -> "1.4.0".equals(r.getStatus().getTargetVersion()));

        // An attacker (or a stale mirror) serves the vendor's older, validly signed feed that lacks the 1.4.0 fix.
        feeds.serveSignedFeed("signed", "acme", Feeds.product("acme").with("1.0.0").with("1.3.0")
                .generatedAt("2026-11-01T10:00:00Z").json(), "\"s1\"", vendor.getPrivate());
        ManagedUpgrade replayed = awaitStatus("signed-feed", "app",
                r -> "Error".equals(r.getStatus().getLastFeedPoll().result()));

        assertThat(accepted.getStatus().getLastFeedPoll().generatedAt()).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(replayed.getStatus().getTargetVersion()).isEqualTo("1.4.0");
        assertThat(replayed.getStatus().getLastFeedPoll().generatedAt()).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(replayed.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("ReleasesRetrieved");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("FeedError");
            assertThat(c.getMessage()).contains("Untrusted", "older than the accepted 2026-11-20T10:00:00Z",
                    "using the catalogue from the last good poll");
        });
        // The Event follows the status write.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                client.v1().events().inNamespace("signed-feed").list().getItems())
                .anySatisfy(e -> assertThat(e.getMessage()).contains("replayed or downgraded feed")));
    }

    /** A vendor feed on HTTPS with a private CA and a bearer token, both given to the operator as Secrets. */
    @Test
    void aPrivateCaAndAnAuthHeaderFromSecretsReachAnHttpsFeed(@TempDir Path keystores) throws Exception {
        namespace("private-feed");
        SelfSignedKeystore certificate = SelfSignedKeystore.create(keystores, "ip:127.0.0.1");
        WireMockServer https = new WireMockServer(options().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(certificate.path().toString()).keystorePassword(certificate.password())
                .keyManagerPassword(certificate.password()).keystoreType("PKCS12"));
        https.start();
        try {
            https.stubFor(WireMock.get(WireMock.urlPathEqualTo("/v1/products/acme/releases")).willReturn(
                    WireMock.aResponse().withStatus(401)));
            https.stubFor(WireMock.get(WireMock.urlPathEqualTo("/v1/products/acme/releases"))
                    .withHeader("Authorization", WireMock.equalTo("Bearer vendor-token")).willReturn(WireMock.aResponse()
                            .withHeader("ETag", "\"p1\"").withBody(Feeds.product("acme").with("1.0.0").with("1.5.0").json())));
            client.resource(new SecretBuilder().withNewMetadata().withName("vendor-ca").withNamespace("private-feed")
                    .endMetadata().addToStringData("ca.crt", certificate.pem()).build()).create();
            client.resource(new SecretBuilder().withNewMetadata().withName("vendor-token").withNamespace("private-feed")
                    .endMetadata().addToStringData("Authorization", "Bearer vendor-token").build()).create();
            ManagedUpgrade resource = managedUpgrade("private-feed", "app", "https://127.0.0.1:" + https.httpsPort(),
                    "acme", "1.0.0");
            SecretKeyRef ca = new SecretKeyRef();
            ca.setName("vendor-ca");
            resource.getSpec().getReleaseSource().setCaSecretRef(ca);
            SecretRef headers = new SecretRef();
            headers.setName("vendor-token");
            resource.getSpec().getReleaseSource().setHeadersSecretRef(headers);
            resource.getSpec().setPolicy(new PolicySpec());
            resource.getSpec().getPolicy().setApproval(Approval.Manual);
            client.resource(resource).create();

            ManagedUpgrade retrieved = awaitStatus("private-feed", "app",
                    r -> "1.5.0".equals(r.getStatus().getTargetVersion()));

            assertThat(retrieved.getStatus().getLastFeedPoll().result()).isEqualTo("Ok");
            https.verify(WireMock.getRequestedFor(WireMock.urlPathEqualTo("/v1/products/acme/releases"))
                    .withHeader("Authorization", WireMock.equalTo("Bearer vendor-token")));
        } finally {
            https.stop();
        }
    }

    private List<ManagedUpgrade> polled() {
        return client.resources(ManagedUpgrade.class).inAnyNamespace().list().getItems().stream()
                .filter(r -> r.getMetadata().getNamespace().startsWith("poll-"))
                .filter(r -> r.getStatus() != null && r.getStatus().getLastFeedPoll() != null).toList();
    }

    private boolean allPolledWith(String result) {
        return polled().size() == 50 && polled().stream()
                .allMatch(r -> result.equals(r.getStatus().getLastFeedPoll().result()));
    }
}
