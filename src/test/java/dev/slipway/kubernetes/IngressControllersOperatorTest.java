package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.MaintenancePageSpec;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.http.page.ConfigMapPageStatusSource;
import dev.slipway.http.page.MaintenancePageServer;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.testing.IngressJson;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import dev.slipway.testing.StandInIngress;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The swap as an ingress controller sees it, on the CRUD API server with a real page server and a real HTTP server
 * standing in for the controller: backend annotations switched for the page and given back byte for byte, no
 * quiescing before visitors get the page at spec.maintenancePage.verifyUrl, and the page kept up
 * spec.maintenancePage.drainAfterRestore after the Ingress is restored.
 */
@QuarkusTest
@WithKubernetesTestServer
class IngressControllersOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final String PAGE = "shop-maintenance";
    /** How long the stand-in controller takes to act on a changed Ingress, as a reload would. */
    private static final Duration PROPAGATION = Duration.ofSeconds(1);
    private static final Map<String, String> ALB_GRPC = Map.of(
            "alb.ingress.kubernetes.io/scheme", "internet-facing",
            "alb.ingress.kubernetes.io/target-type", "ip",
            "alb.ingress.kubernetes.io/backend-protocol", "HTTPS",
            "alb.ingress.kubernetes.io/backend-protocol-version", "GRPC",
            "alb.ingress.kubernetes.io/healthcheck-protocol", "HTTPS",
            "alb.ingress.kubernetes.io/success-codes", "0-99");

    private final Clock clock = Clock.systemUTC();
    private SimulatedKubelet kubelet;
    private ShopFixture shop;
    private Vertx vertx;
    private ConfigMapPageStatusSource pageStatus;
    private MaintenancePageServer page;
    private StandInIngress controller;

    @BeforeEach
    void startKubelet() {
        kubelet = new SimulatedKubelet(client).start();
    }

    @AfterEach
    void stop() {
        kubelet.close();
        if (controller != null) {
            controller.close();
        }
        if (page != null) {
            page.close();
            pageStatus.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void theUpgradeWaitsForThePageThroughTheControllerAndGivesTheIngressBackByteForByte() throws Exception {
        shop = new ShopFixture(client, "ingress-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        annotateIngress(ALB_GRPC);
        // Traefik reads the backend scheme from the application's Service; the page's own Service must not carry it.
        client.resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace(shop.namespace)
                .addToAnnotations("traefik.ingress.kubernetes.io/service.serversscheme", "https").endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(443).endPort().endSpec().build())
                .create();
        Ingress original = shop.ingress();
        AtomicReference<Instant> firstPageServed = new AtomicReference<>();
        URI pageUrl = startPage();
        controller = new StandInIngress(followingTheIngress(pageUrl, firstPageServed));
        client.resource(withPage(shop.resource("shop"), controller.url().resolve("/orders"), "2m", "2s")).create();

        Ingress swapped = awaitIngress(ingress -> ingress.getMetadata().getAnnotations() != null
                && ingress.getMetadata().getAnnotations().containsKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION));
        assertThat(swapped.getMetadata().getAnnotations()).containsAllEntriesOf(Map.of(
                "alb.ingress.kubernetes.io/backend-protocol", "HTTP",
                "alb.ingress.kubernetes.io/backend-protocol-version", "HTTP1",
                "alb.ingress.kubernetes.io/healthcheck-protocol", "HTTP",
                "alb.ingress.kubernetes.io/healthcheck-path", "/status.json",
                "alb.ingress.kubernetes.io/success-codes", "200",
                "alb.ingress.kubernetes.io/scheme", "internet-facing"));
        assertThat(client.services().inNamespace(shop.namespace).withName(PAGE).get().getMetadata().getAnnotations())
                .doesNotContainKey("traefik.ingress.kubernetes.io/service.serversscheme");

        ManagedUpgrade draining = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getTrafficRestoredAt() != null);
        Instant restoredAt = Instant.parse(draining.getStatus().getUpgrade().getTrafficRestoredAt());
        assertThat(IngressJson.comparable(client.getKubernetesSerialization(), shop.ingress()))
                .isEqualTo(IngressJson.comparable(client.getKubernetesSerialization(), original));
        assertThat(shop.replicas(PAGE)).as("the page (2 replicas by default) outlives the restored Ingress").isEqualTo(2);

        ManagedUpgrade done = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getHistory() != null
                && !r.getStatus().getHistory().isEmpty());
        assertThat(done.getStatus().getHistory()).singleElement().satisfies(entry -> {
            assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded);
            StepRecord quiesce = step(entry.steps(), UpgradeStep.Quiesce);
            assertThat(firstPageServed.get()).as("the controller served the page").isNotNull();
            assertThat(Instant.parse(quiesce.startedAt())).as("nothing stopped before visitors got the page")
                    .isAfterOrEqualTo(firstPageServed.get());
            StepRecord restore = step(entry.steps(), UpgradeStep.RestoreTraffic);
            assertThat(Duration.between(restoredAt, Instant.parse(restore.finishedAt())))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        });
        assertThat(shop.replicas(PAGE)).isZero();
        assertThat(IngressJson.comparable(client.getKubernetesSerialization(), shop.ingress()))
                .isEqualTo(IngressJson.comparable(client.getKubernetesSerialization(), original));
    }

    @Test
    void aPageVisitorsNeverGetFailsTheUpgradeBeforeAnythingIsStopped() throws Exception {
        shop = new ShopFixture(client, "ingress-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        annotateIngress(Map.of("nginx.ingress.kubernetes.io/backend-protocol", "GRPCS"));
        Ingress original = shop.ingress();
        // A controller that never takes the change (another class's Ingress, a stuck reload): always the application.
        controller = new StandInIngress(Optional::empty);
        client.resource(withPage(shop.resource("shop"), controller.url(), "3s", "0s")).create();

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);
        assertThat(failed.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.PageNotPropagated);
        assertThat(failed.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.SwapTraffic);
        assertThat(failed.getStatus().getUpgrade().getFailureMessage()).contains(controller.url().toString(),
                "X-Slipway-Page: " + shop.namespace + "/" + PAGE, "nothing was stopped");
        assertThat(failed.getStatus().getUpgrade().getReplicas()).as("never quiesced").isNull();
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(IngressJson.comparable(client.getKubernetesSerialization(), shop.ingress()))
                .isEqualTo(IngressJson.comparable(client.getKubernetesSerialization(), original));
    }

    private void annotateIngress(Map<String, String> annotations) {
        client.network().v1().ingresses().inNamespace(shop.namespace).withName(SampleApplication.INGRESS)
                .edit(ingress -> {
                    ingress.getMetadata().setAnnotations(annotations);
                    return ingress;
                });
    }

    private static ManagedUpgrade withPage(ManagedUpgrade resource, URI verifyUrl, String verifyTimeout,
            String drainAfterRestore) {
        MaintenancePageSpec page = new MaintenancePageSpec();
        page.setVerifyUrl(verifyUrl.toString());
        page.setVerifyTimeout(verifyTimeout);
        page.setDrainAfterRestore(drainAfterRestore);
        resource.getSpec().setMaintenancePage(page);
        return resource;
    }

    /** The real page server, reading this shop's page ConfigMap as it does in its pod. */
    private URI startPage() {
        vertx = Vertx.vertx();
        pageStatus = new ConfigMapPageStatusSource(client, shop.namespace, PAGE).start();
        page = new MaintenancePageServer(vertx, pageStatus, clock);
        return URI.create("http://127.0.0.1:" + page.start(0) + "/");
    }

    /** Routes as the Ingress says, {@link #PROPAGATION} after it changed; records when the page was first served. */
    private java.util.function.Supplier<Optional<URI>> followingTheIngress(URI pageUrl,
            AtomicReference<Instant> firstPageServed) {
        AtomicReference<Instant> swapSeen = new AtomicReference<>();
        return () -> {
            Ingress ingress = shop.ingress();
            boolean toPage = ingress.getSpec().getDefaultBackend() != null
                    && PAGE.equals(ingress.getSpec().getDefaultBackend().getService().getName());
            if (!toPage) {
                swapSeen.set(null);
                return Optional.empty();
            }
            Instant seen = swapSeen.updateAndGet(at -> at == null ? clock.instant() : at);
            if (Duration.between(seen, clock.instant()).compareTo(PROPAGATION) < 0) {
                return Optional.empty();
            }
            firstPageServed.compareAndSet(null, clock.instant());
            return Optional.of(pageUrl);
        };
    }

    private Ingress awaitIngress(java.util.function.Predicate<Ingress> condition) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(shop::ingress, condition::test);
    }

    private static StepRecord step(java.util.List<StepRecord> steps, UpgradeStep step) {
        return steps.stream().filter(record -> record.step() == step).findFirst().orElseThrow();
    }
}
