package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.spec.WorkloadKind;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.cluster.GarbageCollector;
import dev.slipway.demo.cluster.WorkloadControllers;
import dev.slipway.kubernetes.upgrade.UpgradeExecutor;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 behaviours 3 and 4 on the realistic doubles: a rollout is Ready only when the controller observed the
 * spec and every replica is updated and available (kubectl rollout status, deployment_util.go DeploymentComplete);
 * Progressing=False/ProgressDeadlineExceeded is the controller giving up (Kubernetes docs, "Deployments: Failed
 * Deployment"); an OnDelete StatefulSet runs a new template only in Pods created after their deletion (docs,
 * "StatefulSets: Update strategies"). The application under upgrade has no database, so nothing commits and a
 * failure rolls back.
 */
@QuarkusTest
// On the CRUD server, with the workload and kubelet emulation: the realistic server's defaulting still makes the
// page Deployment's spec differ from Slipway's on every pass (issue 14 item 9, fixed separately), stalling PageUp.
@WithKubernetesTestServer
class RolloutOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final String PAGE = "shop-maintenance";

    @Inject
    UpgradeExecutor executor;

    private WorkloadControllers controllers;
    private GarbageCollector collector;
    private ShopFixture shop;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void startControllers() {
        controllers = new WorkloadControllers(client, Clock.systemUTC()).gracePeriod(Duration.ofSeconds(1))
                .crashLoop(SampleApplication.image("web", "1.1.0")).start();
        collector = new GarbageCollector(client).start();
    }

    @AfterEach
    void stop() {
        executor.setCheckpointListener(null);
        watcher.shutdownNow();
        collector.close();
        controllers.close();
        if (shop != null) {
            shop.close();
        }
    }

    /** The shop without a database, web giving up after 3 s without progress (progressDeadlineSeconds). */
    private ManagedUpgrade shopResource() throws Exception {
        shop = new ShopFixture(client, "rollout-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        client.apps().deployments().inNamespace(shop.namespace).withName("web").edit(web -> {
            web.getSpec().setProgressDeadlineSeconds(3);
            return web;
        });
        ManagedUpgrade resource = shop.resource("shop");
        resource.getSpec().setDatabase(null);
        return resource;
    }

    @Test
    void rollbackSendsTrafficBackOnlyOnceTheOldImagesRunAndAreAvailable() throws Exception {
        ManagedUpgrade resource = shopResource();
        String namespace = shop.namespace;
        // worker becomes an OnDelete StatefulSet: rolling back its image changes no running Pod by itself
        client.apps().deployments().inNamespace(namespace).withName("worker").delete();
        Map<String, String> labels = Map.of("app", "worker-set");
        client.resource(new StatefulSetBuilder().withNewMetadata().withName("worker").withNamespace(namespace)
                .endMetadata().withNewSpec().withReplicas(1).withServiceName("worker")
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewSelector().withMatchLabels(labels).endSelector().withNewTemplate().withNewMetadata()
                .withLabels(labels).endMetadata().withNewSpec().addNewContainer().withName("worker")
                .withImage(SampleApplication.image("worker", "1.0.0")).endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        ComponentSpec worker = SampleApplication.component("worker");
        worker.getWorkload().setKind(WorkloadKind.StatefulSet);
        resource.getSpec().getApplication().setComponents(List.of(SampleApplication.component("web"), worker));
        // the old web takes 2 s to become Ready again: long enough to see traffic restored too early
        controllers.readyDelay(SampleApplication.image("web", "1.0.0"), Duration.ofSeconds(2));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> available(shop.deployment("web")) == 2
                && workerImages(namespace).equals(List.of(SampleApplication.image("worker", "1.0.0"))));
        AtomicBoolean sawPage = new AtomicBoolean();
        AtomicReference<String> whenTrafficReturned = new AtomicReference<>();
        watcher.scheduleWithFixedDelay(() -> {
            String backend = shop.ingress().getSpec().getDefaultBackend().getService().getName();
            sawPage.compareAndSet(false, backend.equals(PAGE));
            if (sawPage.get() && backend.equals("web") && whenTrafficReturned.get() == null) {
                // read after the Ingress: whatever is seen here was already so when traffic returned, or later
                Deployment web = shop.deployment("web");
                whenTrafficReturned.set("web " + web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()
                        + " available " + available(web) + " updated " + web.getStatus().getUpdatedReplicas()
                        + " observed " + (web.getStatus().getObservedGeneration() >= web.getMetadata().getGeneration())
                        + ", worker pods " + workerImages(namespace));
            }
        }, 0, 20, TimeUnit.MILLISECONDS);

        client.resource(resource).create();

        ManagedUpgrade rolledBack = Awaitility.await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200)).until(() -> get(namespace, "shop"), r -> r.getStatus() != null
                        && r.getStatus().getHistory() != null && !r.getStatus().getHistory().isEmpty());
        assertThat(rolledBack.getStatus().getUpgrade().getResult()).isEqualTo(UpgradeResult.RolledBack);
        assertThat(rolledBack.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.StartStop);
        assertThat(rolledBack.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.RolloutFailed);
        assertThat(rolledBack.getStatus().getUpgrade().getFailureMessage()).as("the Deployment's own condition message")
                .startsWith("Deployment 'web': ReplicaSet \"web-").endsWith("\" has timed out progressing.");
        assertThat(whenTrafficReturned.get()).isEqualTo("web " + SampleApplication.image("web", "1.0.0")
                + " available 2 updated 2 observed true, worker pods [" + SampleApplication.image("worker", "1.0.0") + "]");
        assertThat(shop.ingress().getSpec().getDefaultBackend().getService().getName()).isEqualTo("web");
    }

    @Test
    void aRollbackWhoseOldImagesNeverBecomeReadyHoldsBehindThePage() throws Exception {
        ManagedUpgrade resource = shopResource();
        executor.setCheckpointListener((step, completed) -> {
            if (step.equals(UpgradeStep.RollBack.name()) && !completed) {
                // say the old image was pulled from the registry meanwhile: it no longer starts
                controllers.crashLoop(SampleApplication.image("web", "1.0.0"));
            }
        });

        client.resource(resource).create();

        ManagedUpgrade held = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() != null);
        assertThat(held.getStatus().getUpgrade().getResult()).isEqualTo(UpgradeResult.Failed);
        assertThat(held.getStatus().getPhase()).isEqualTo(Phase.Failed);
        assertThat(held.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.RollBack);
        assertThat(held.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.RolloutFailed);
        assertThat(held.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Available");
            assertThat(c.getReason()).isEqualTo("BehindMaintenancePage");
        });
        assertThat(shop.ingress().getSpec().getDefaultBackend().getService().getName())
                .as("visitors stay on the page rather than reach a version that does not run").isEqualTo(PAGE);
    }

    private static int available(Deployment deployment) {
        return deployment.getStatus() == null || deployment.getStatus().getAvailableReplicas() == null ? 0
                : deployment.getStatus().getAvailableReplicas();
    }

    /** Images of worker's running (not terminating) Pods. */
    private List<String> workerImages(String namespace) {
        return client.pods().inNamespace(namespace).withLabel("app", "worker-set").list().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .map(Pod::getSpec).map(spec -> spec.getContainers().get(0).getImage()).toList();
    }
}
