package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.spec.ImageRewriteSpec;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.cluster.GarbageCollector;
import dev.slipway.demo.cluster.WorkloadControllers;
import dev.slipway.kubernetes.page.PageAccess;
import dev.slipway.kubernetes.page.PageDeployment;
import dev.slipway.kubernetes.page.PageNames;
import dev.slipway.kubernetes.page.PageService;
import dev.slipway.kubernetes.upgrade.UpgradeExecutor;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import dev.slipway.testing.cluster.AdmissionDenial;
import dev.slipway.testing.cluster.AdmissionDispatcher;
import dev.slipway.testing.cluster.ImageRewrite;
import dev.slipway.testing.cluster.InjectAdmission;
import dev.slipway.testing.cluster.WithRealisticKubernetes;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against the realistic API server (defaulting, name validation, admission denials, image rewriting),
 * the workload controllers and the garbage collector: API errors become typed failures, deletion is safe, rewritten
 * images are still recognised, page names are accepted, and defaulting causes no write loop.
 */
@QuarkusTest
@WithRealisticKubernetes
class RealClusterSafetyOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    @InjectAdmission
    AdmissionDispatcher admission;
    @Inject
    UpgradeExecutor executor;
    @Inject
    PageAccess pageAccess;
    @Inject
    PageService pageService;
    @Inject
    PageDeployment pageDeployment;
    @Inject
    Clock clock;

    private WorkloadControllers controllers;
    private GarbageCollector collector;
    private String namespace;

    @BeforeEach
    void startControllers() {
        namespace = "real-" + NAMESPACES.incrementAndGet();
        controllers = new WorkloadControllers(client, clock).gracePeriod(Duration.ofMillis(300)).start();
        collector = new GarbageCollector(client).start();
    }

    @AfterEach
    void stopControllers() {
        executor.setCheckpointListener(null);
        admission.rewriteImages(ImageRewrite.NONE);
        collector.close();
        controllers.close();
    }

    /**
     * A validating webhook refuses the Ingress swap once (403, as kube-apiserver's webhook dispatcher reports a denial:
     * "admission webhook <name> denied the request: <message>"). The step fails with ApiRejected naming the Ingress,
     * the verb and the webhook's words; nothing committed, so the upgrade rolls back, with a Warning Event.
     */
    @Test
    void aWebhookDenialOfTheIngressSwapIsATypedFailureAndRollsBack() throws Exception {
        try (ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication())) {
            Ingress original = shop.ingress();
            admission.denyOnce(AdmissionDenial.webhook("Ingress", namespace, SampleApplication.INGRESS,
                    "ingress-policy.example.com", "changes to shop need a change ticket"));
            client.resource(shop.resource("shop")).create();

            UpgradeProgress ended = awaitEnded("shop").getStatus().getUpgrade();

            assertThat(ended.getResult()).isEqualTo(UpgradeResult.RolledBack);
            assertThat(ended.getFailedStep()).isEqualTo(UpgradeStep.SwapTraffic);
            assertThat(ended.getFailureReason()).isEqualTo(UpgradeFailure.ApiRejected);
            assertThat(ended.getFailureMessage()).matches("(update|patch) of Ingress " + namespace + "/shop refused \\(403\\): "
                    + "admission webhook \"ingress-policy.example.com\" denied the request: changes to shop need a change ticket");
            assertThat(condition(get(namespace, "shop"), "Failing")).satisfies(failing -> {
                assertThat(failing.getStatus()).isEqualTo("True");
                assertThat(failing.getMessage()).contains("Ingress " + namespace + "/shop", "change ticket");
            });
            assertThat(events("StepFailed")).anySatisfy(event -> {
                assertThat(event.getType()).isEqualTo("Warning");
                assertThat(event.getMessage()).contains("ApiRejected", "Ingress " + namespace + "/shop", "change ticket");
            });
            assertThat(admission.pendingDenials()).isEmpty();
            assertThat(json(shop.ingress().getSpec())).isEqualTo(json(original.getSpec()));
            assertThat(shop.replicas("web")).isEqualTo(2);
            assertThat(shop.appliedMigrations()).containsExactly("1");
        }
    }

    /**
     * The namespace's ResourceQuota is exhausted when the page Deployment is created (403 Forbidden "exceeded quota",
     * as the ResourceQuota admission plugin answers): PageUp fails with ApiRejected, and the application, its Ingress
     * and its database are untouched.
     */
    @Test
    void aQuotaDenialOfThePageDeploymentFailsPageUpAndTouchesNothingElse() throws Exception {
        try (ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication())) {
            Ingress original = shop.ingress();
            admission.denyOnce(AdmissionDenial.quotaExceeded("Deployment", namespace, "shop-maintenance", "compute",
                    "requested: pods=1, used: pods=10, limited: pods=10"));
            client.resource(shop.resource("shop")).create();

            UpgradeProgress ended = awaitEnded("shop").getStatus().getUpgrade();

            assertThat(ended.getFailedStep()).isEqualTo(UpgradeStep.PageUp);
            assertThat(ended.getFailureReason()).isEqualTo(UpgradeFailure.ApiRejected);
            assertThat(ended.getFailureMessage()).startsWith("create of Deployment " + namespace + "/shop-maintenance refused (403)")
                    .contains("exceeded quota: compute");
            assertThat(ended.getResult()).isEqualTo(UpgradeResult.RolledBack);
            assertThat(json(shop.ingress().getSpec())).isEqualTo(json(original.getSpec()));
            assertThat(shop.replicas("web")).isEqualTo(2);
            assertThat(shop.replicas("worker")).isEqualTo(1);
            assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
            assertThat(shop.deployment("shop-maintenance")).isNull();
            assertThat(shop.appliedMigrations()).containsExactly("1");
        }
    }

    /** Idle (the last upgrade rolled back): deleting removes every page object and lets the resource go. */
    @Test
    void deletingAnIdleManagedUpgradeRemovesThePageObjects() throws Exception {
        try (ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication())) {
            admission.denyOnce(AdmissionDenial.webhook("Ingress", namespace, SampleApplication.INGRESS, "policy", "no"));
            ManagedUpgrade created = client.resource(shop.resource("shop")).create();
            awaitEnded("shop");
            assertThat(pageObjects("shop-maintenance")).as("the page was up before the rollback").isNotEmpty();
            assertThat(get(namespace, "shop").getMetadata().getFinalizers()).isNotEmpty();

            client.resource(created).delete();

            awaitGone("shop");
            assertThat(pageObjects("shop-maintenance")).isEmpty();
            assertThat(shop.replicas("web")).isEqualTo(2);
        }
    }

    /**
     * Deleted when Migrate 1.1.0 begins (traffic on the page, replicas at zero, nothing migrated): the operator puts
     * the replicas, images and Ingress back as a rollback would, removes the page, and lets the resource go.
     */
    @Test
    void deletingMidUpgradeBeforeAnyHopCommittedRestoresTheApplication() throws Exception {
        try (ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication())) {
            Ingress original = shop.ingress();
            stopWhenStepBegins("Migrate 1.1.0"::equals);
            client.resource(shop.resource("shop")).create();

            awaitGone("shop");

            assertThat(json(shop.ingress().getSpec())).isEqualTo(json(original.getSpec()));
            assertThat(shop.replicas("web")).isEqualTo(2);
            assertThat(shop.replicas("worker")).isEqualTo(1);
            assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
            assertThat(pageObjects("shop-maintenance")).isEmpty();
            assertThat(shop.appliedMigrations()).containsExactly("1");
        }
    }

    /**
     * Deleted after a hop committed: the database is ahead of the old images, so the page stays up and deletion
     * waits, saying so in a condition and a Warning Event, until an administrator sets spec.actions.abandon (the spec
     * stays editable while deletionTimestamp is set); then traffic and replicas come back and the resource goes.
     */
    @Test
    void deletingAfterAHopCommittedKeepsThePageUntilAbandon() throws Exception {
        try (ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication())) {
            Ingress original = shop.ingress();
            stopWhenStepBegins(step -> step.startsWith("RollImages"));
            client.resource(shop.resource("shop")).create();

            ManagedUpgrade waiting = awaitStatus(namespace, "shop", r -> r.getMetadata().getDeletionTimestamp() != null
                    && condition(r, "Deleting") != null);

            assertThat(condition(waiting, "Deleting").getMessage()).contains("spec.actions.abandon");
            assertThat(waiting.getStatus().getUpgrade().getCommitted()).isTrue();
            assertThat(events("DeletionBlocked")).singleElement().extracting(Event::getType).isEqualTo("Warning");
            assertThat(json(shop.ingress().getSpec())).as("traffic stays on the page").isNotEqualTo(json(original.getSpec()));
            assertThat(shop.replicas("shop-maintenance")).as("the default page replicas").isEqualTo(2);

            // another look at the deletion (a spec edit wakes it) does not say the same thing again
            editSpec(namespace, "shop", r -> r.getSpec().getReleaseSource().setPollInterval("6s"));
            awaitStatus(namespace, "shop", r -> condition(r, "Deleting").getObservedGeneration()
                    .equals(r.getMetadata().getGeneration()));
            assertThat(events("DeletionBlocked")).hasSize(1);

            editSpec(namespace, "shop", r -> {
                ActionsSpec actions = new ActionsSpec();
                actions.setAbandon("delete-it");
                r.getSpec().setActions(actions);
            });

            awaitGone("shop");
            assertThat(json(shop.ingress().getSpec())).isEqualTo(json(original.getSpec()));
            assertThat(shop.replicas("web")).isEqualTo(2);
            assertThat(shop.replicas("worker")).isEqualTo(1);
            assertThat(pageObjects("shop-maintenance")).isEmpty();
            assertThat(shop.appliedMigrations()).contains("2");
        }
    }

    /**
     * Admission moves every Pod template image to a mirror and pins it to a digest (Kyverno-style verifyImages), and
     * the resource's name is long and dotted (page names are hash-shortened). The upgrade ends at 2.0.0 and the
     * rewritten images are recognised as 2.0.0: the operator reports UpToDate and never starts the upgrade again.
     */
    @Test
    void rewrittenImagesAreRecognisedAndAnUpgradeIsNeverRunTwice() throws Exception {
        ImageRewrite mirror = ImageRewrite.mirror("mirror.local");
        admission.rewriteImages(image -> ImageRewrite.pinDigests().apply(mirror.apply(image)));
        String name = "2026.shop.example." + "payments-".repeat(12) + "eu";
        try (ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication())) {
            assertThat(shop.image("web")).startsWith("mirror.local/" + SampleApplication.image("web", "1.0.0") + "@sha256:");
            ManagedUpgrade resource = shop.resource(name);
            resource.getSpec().getApplication().setImageRewrite(List.of(new ImageRewriteSpec("", "mirror.local/")));
            client.resource(resource).create();

            awaitStatus(namespace, name, r -> r.getStatus().getPhase() == Phase.UpToDate
                    && "2.0.0".equals(r.getStatus().getCurrentVersion()));
            assertThat(shop.image("web")).startsWith("mirror.local/" + SampleApplication.image("web", "2.0.0") + "@sha256:");
            editSpec(namespace, name, r -> r.getSpec().getReleaseSource().setPollInterval("5s"));

            // at least one more feed poll (the shortest interval allowed) finds nothing to do
            Awaitility.await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(20))
                    .until(() -> get(namespace, name), r -> r.getStatus().getPhase() == Phase.UpToDate
                            && r.getStatus().getUpgrade() == null && r.getStatus().getHistory().size() == 1);
            ManagedUpgrade settled = get(namespace, name);
            assertThat(settled.getStatus().getObservedGeneration()).isEqualTo(settled.getMetadata().getGeneration());
            assertThat(condition(settled, "VersionDiscovered").getMessage()).isEqualTo("2.0.0 (from running images)");
            assertThat(settled.getStatus().getHistory()).singleElement().extracting("result").isEqualTo(UpgradeResult.Succeeded);
            assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
            String pageName = PageNames.name(settled);
            assertThat(pageName).hasSizeLessThanOrEqualTo(63).doesNotContain(".");
            assertThat(client.services().inNamespace(namespace).withName(pageName).get()).isNotNull();
        }
    }

    /**
     * The longest valid ManagedUpgrade name (253 characters, dots, a leading digit): the realistic API server, which
     * answers 422 to names and label values a real one refuses, accepts every page object. With its defaulting and a
     * digest-pinning webhook on, a page that is up is not written again however often the page step looks at it.
     */
    @Test
    void pageObjectsOfTheLongestNameAreAcceptedAndDefaultingCausesNoWrites() {
        namespace(namespace);
        admission.rewriteImages(ImageRewrite.pinDigests());
        String longest = "9.shop." + "a".repeat(240) + ".eu.io";
        assertThat(longest).hasSize(253);
        ManagedUpgrade resource = client.resource(managedUpgrade(namespace, longest, "http://127.0.0.1:9/releases",
                "shop", "1.0.0")).create();

        pageAccess.ensure(resource);
        pageService.ensure(resource);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pageDeployment.ensure(resource, 1));

        String name = PageNames.name(resource);
        assertThat(pageObjects(name)).hasSize(5);
        Deployment stored = Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(new StableResourceVersion(name), Objects::nonNull);
        assertThat(stored.getSpec()).as("the server defaulted the spec")
                .isNotEqualTo(PageDeployment.desired(resource, 1, stored.getSpec().getTemplate().getSpec()
                        .getContainers().get(0).getImage(), List.of()).getSpec());
        for (int pass = 0; pass < 5; pass++) {
            assertThat(pageDeployment.ensure(resource, 1)).isTrue();
        }
        assertThat(client.apps().deployments().inNamespace(namespace).withName(name).get().getMetadata()
                .getResourceVersion()).isEqualTo(stored.getMetadata().getResourceVersion());
    }

    /** The page Deployment, as long as its resourceVersion stays what it was on the previous look; null otherwise. */
    private final class StableResourceVersion implements java.util.concurrent.Callable<Deployment> {
        private final String name;
        private String previous;

        StableResourceVersion(String name) {
            this.name = name;
        }

        @Override
        public Deployment call() {
            Deployment current = client.apps().deployments().inNamespace(namespace).withName(name).get();
            boolean same = current.getMetadata().getResourceVersion().equals(previous);
            previous = current.getMetadata().getResourceVersion();
            return same ? current : null;
        }
    }

    /** Deletes the ManagedUpgrade as soon as the step begins and stops that pass, as an admin's kubectl delete would. */
    private void stopWhenStepBegins(Predicate<String> step) {
        AtomicBoolean deleted = new AtomicBoolean();
        executor.setCheckpointListener((key, completed) -> {
            if (!completed && step.test(key) && deleted.compareAndSet(false, true)) {
                client.resources(ManagedUpgrade.class).inNamespace(namespace).withName("shop").delete();
                throw new IllegalStateException("test: the ManagedUpgrade was deleted at " + key);
            }
        });
    }

    private ManagedUpgrade awaitEnded(String name) {
        return awaitStatus(namespace, name, r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() != null);
    }

    private void awaitGone(String name) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(namespace, name) == null);
    }

    private List<HasMetadata> pageObjects(String name) {
        return java.util.stream.Stream.<HasMetadata>of(
                client.apps().deployments().inNamespace(namespace).withName(name).get(),
                client.services().inNamespace(namespace).withName(name).get(),
                client.configMaps().inNamespace(namespace).withName(name).get(),
                client.serviceAccounts().inNamespace(namespace).withName(name).get(),
                client.rbac().roles().inNamespace(namespace).withName(name).get(),
                client.rbac().roleBindings().inNamespace(namespace).withName(name).get())
                .filter(Objects::nonNull).toList();
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    private static Condition condition(ManagedUpgrade resource, String type) {
        return resource.getStatus() == null || resource.getStatus().getConditions() == null ? null
                : resource.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
                        .orElse(null);
    }

    private String json(Object value) {
        return client.getKubernetesSerialization().asJson(value);
    }
}
