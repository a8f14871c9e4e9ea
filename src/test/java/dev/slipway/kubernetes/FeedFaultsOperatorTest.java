package dev.slipway.kubernetes;

import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.core.upgrade.UpgradeResult;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.api.v1alpha1.spec.PolicySpec;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.testing.FeedServer;
import dev.slipway.testing.Feeds;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Release API that misbehaves on purpose, seen through the operator: every fault ends in a condition and an Event that
 * say what went wrong, and nothing is started that could not be finished.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(FaultsOperatorTest.ShortTimeouts.class)
class FeedFaultsOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final String FEED = Feeds.product("acme").with("1.0.0").with("1.1.0").json();

    private final FeedServer feeds = new FeedServer();

    @AfterEach
    void stopFeeds() {
        feeds.close();
    }

    /** A feed fault: how the server answers, and words the condition's message must contain. */
    record FeedFault(String name, Consumer<FeedServer> serve, String urlOverride, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<FeedFault> feedFaults() {
        return Stream.of(
                answering("HTTP 500", aResponse().withStatus(500), "HTTP 500"),
                answering("HTTP 404", aResponse().withStatus(404), "HTTP 404"),
                answering("timeout", aResponse().withBody(FEED).withFixedDelay(6_000), "Timeout",
                        "no answer within 3000 ms"),
                answering("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), "Unreachable"),
                new FeedFault("connection refused", server -> { }, "http://127.0.0.1:1/acme", List.of("Unreachable")),
                new FeedFault("TLS failure", server -> server.serveFeed("acme", "acme", FEED, "\"t\""), "https",
                        List.of("TLS")),
                answering("non-JSON", aResponse().withBody("<html>Service Unavailable</html>"), "JSON"),
                answering("truncated JSON", aResponse().withBody(FEED.substring(0, FEED.length() / 2)), "JSON"),
                answering("50 MB body", aResponse().withBody(new byte[50 * 1024 * 1024]), "limit"),
                answering("duplicate versions", aResponse().withBody(Feeds.product("acme").with("1.0.0").with("1.1.0")
                        .with("1.1.0").json()), "releases[2] (1.1.0): duplicate version"),
                answering("non-SemVer version", aResponse().withBody(Feeds.product("acme").with("1.0.0").with("1.1")
                        .json()), "1.1", "SemVer"));
    }

    private static FeedFault answering(String name, ResponseDefinitionBuilder response, String... expected) {
        return new FeedFault(name, server -> server.wireMock().stubFor(
                WireMock.get(urlPathEqualTo("/acme/v1/products/acme/releases")).willReturn(response)), null,
                List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("feedFaults")
    void aBrokenFeedIsAConditionAndAnEventAndStartsNothing(FeedFault fault) {
        String namespace = "feed-fault-" + NAMESPACES.incrementAndGet();
        namespace(namespace);
        fault.serve().accept(feeds);
        String url = fault.urlOverride() == null ? feeds.baseUrl("acme")
                : fault.urlOverride().equals("https") ? feeds.baseUrl("acme").replace("http:", "https:")
                : fault.urlOverride();
        ManagedUpgrade resource = managedUpgrade(namespace, "app", url, "acme", "1.0.0");
        resource.getSpec().setPolicy(new PolicySpec());
        resource.getSpec().getPolicy().setApproval(Approval.Automatic);
        client.resource(resource).create();

        ManagedUpgrade failed = awaitStatus(namespace, "app", r -> r.getStatus().getLastFeedPoll() != null);

        assertThat(failed.getStatus().getLastFeedPoll().result()).isEqualTo("Error");
        assertThat(failed.getStatus().getPhase()).isEqualTo(Phase.Unknown);
        assertThat(failed.getStatus().getUpgrade()).isNull();
        Condition retrieved = condition(failed, "ReleasesRetrieved");
        assertThat(retrieved.getStatus()).isEqualTo("False");
        assertThat(retrieved.getReason()).isEqualTo("FeedError");
        assertThat(retrieved.getMessage()).contains(fault.expected());
        // The Event follows the status write.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events(namespace))
                .anySatisfy(event -> {
                    assertThat(event.getReason()).isEqualTo("FeedError");
                    assertThat(event.getType()).isEqualTo("Warning");
                    assertThat(event.getMessage()).contains(fault.expected());
                }));
    }

    /** A migration bundle fault: what is served for 1.1.0's bundle, how the feed describes it, and the words expected. */
    record BundleFault(String name, byte[] served, boolean feedHasItsSha256, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BundleFault> bundleFaults() {
        SampleApplication sample = new SampleApplication();
        return Stream.of(
                new BundleFault("sha256 mismatch", sample.bundle("1.2.0"), false, "sha256"),
                new BundleFault("not a zip", "this is not a zip".getBytes(StandardCharsets.UTF_8), true, "zip"),
                new BundleFault("zip slip", zipWith("../../etc/V2__escape.sql"), true, "../../etc/V2__escape.sql"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundleFaults")
    void aBadMigrationBundleStopsThePreflightBeforeAnythingIsTouched(BundleFault fault) throws Exception {
        SampleApplication sample = new SampleApplication();
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client).start();
             ShopFixture shop = new ShopFixture(client, "bundle-fault-" + NAMESPACES.incrementAndGet(), sample)) {
            serveSampleWithBadBundle(sample, fault);
            String originalIngress = json(shop.ingress());
            client.resource(sample.managedUpgrade(shop.namespace, "shop", feeds.baseUrl("shop") + "/")).create();

            ManagedUpgrade rolledBack = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                    && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);

            assertThat(rolledBack.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.Preflight);
            assertThat(rolledBack.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.BundleUnavailable);
            assertThat(rolledBack.getStatus().getUpgrade().getFailureMessage()).contains("1.1.0", fault.expected());
            Condition failing = condition(rolledBack, "Failing");
            assertThat(failing.getStatus()).isEqualTo("True");
            assertThat(failing.getMessage()).contains(fault.expected());
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events(shop.namespace))
                    .anySatisfy(event -> {
                        assertThat(event.getType()).isEqualTo("Warning");
                        assertThat(event.getMessage()).contains(fault.expected());
                    }));
            assertThat(json(shop.ingress())).isEqualTo(originalIngress);
            assertThat(shop.ingress().getMetadata().getAnnotations()).doesNotContainKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
            assertThat(shop.deployment("shop-maintenance")).as("no maintenance page was started").isNull();
            assertThat(shop.replicas("web")).isEqualTo(2);
            assertThat(shop.appliedMigrations()).containsExactly("1");
        }
    }

    private void serveSampleWithBadBundle(SampleApplication sample, BundleFault fault) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode feed = (ObjectNode) mapper.readTree(sample.feedJson());
        feed.withArray("releases").forEach(release -> {
            String version = release.get("version").asText();
            byte[] bundle = version.equals("1.1.0") ? fault.served() : sample.bundle(version);
            feeds.serveFile("/shop/bundles/" + version + ".zip", bundle);
            if (version.equals("1.1.0") && fault.feedHasItsSha256()) {
                ((ObjectNode) release.get("migrations")).put("sha256", ReleaseApiClient.sha256Hex(bundle));
            }
        });
        feeds.serveFeed("shop", SampleApplication.PRODUCT, feed.toString(), "\"bad-bundle\"");
    }

    private static byte[] zipWith(String entryName) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entryName));
            zip.write("CREATE TABLE escaped (id int);".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Condition condition(ManagedUpgrade resource, String type) {
        return resource.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + resource.getStatus().getConditions()));
    }

    private List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    private String json(Object value) {
        return client.getKubernetesSerialization().asJson(value);
    }
}
