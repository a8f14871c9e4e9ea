package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.PolicySpec;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.kubernetes.page.PageNames;
import dev.slipway.kubernetes.workload.Workloads;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The workload informers cache only the workloads ManagedUpgrades reference (labelled {@value Workloads#WATCHED_LABEL}),
 * not every Deployment of the watched namespaces: memory stays proportional to what Slipway manages.
 */
@QuarkusTest
@WithKubernetesTestServer
class WorkloadWatchOperatorTest extends OperatorTestBase {

    @Test
    void onlyReferencedWorkloadsAreLabelledAndCachedAndDeletionRemovesTheLabel() throws Exception {
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client).start();
                ShopFixture shop = new ShopFixture(client, "watch-1", new SampleApplication())) {
            Deployment web = shop.deployment("web");
            client.resource(new DeploymentBuilder(web).editMetadata().withName("reporting").withResourceVersion(null)
                    .withUid(null).endMetadata().build()).create();
            ManagedUpgrade resource = shop.resource("shop");
            PolicySpec paused = new PolicySpec();
            paused.setPaused(true);
            resource.getSpec().setPolicy(paused);
            client.resource(resource).create();

            awaitStatus(shop.namespace, "shop", r -> "1.0.0".equals(r.getStatus().getCurrentVersion()));

            assertThat(label("watch-1", "web")).isEqualTo("true");
            assertThat(label("watch-1", "worker")).isEqualTo("true");
            assertThat(label("watch-1", "reporting")).isNull();
            InformerEventSource<Deployment, ?> informer = deploymentInformer();
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> informer.get(new ResourceID("web", "watch-1")).isPresent());
            assertThat(informer.get(new ResourceID("reporting", "watch-1"))).as("unreferenced: not cached").isEmpty();

            client.resources(ManagedUpgrade.class).inNamespace("watch-1").withName("shop").delete();

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get("watch-1", "shop") == null);
            assertThat(label("watch-1", "web")).isNull();
            assertThat(label("watch-1", "worker")).isNull();
        }
    }

    /**
     * The page's Deployment is Slipway's own and carries the label from its creation, so its readiness reaches the
     * upgrade as a watch event (without it PageUp would only notice at its next timed look).
     */
    @Test
    void theMaintenancePageDeploymentIsWatchedSoItsReadinessWakesTheUpgrade() throws Exception {
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client).start();
                ShopFixture shop = new ShopFixture(client, "watch-2", new SampleApplication())) {
            ManagedUpgrade resource = client.resource(shop.resource("shop")).create();

            awaitStatus(shop.namespace, "shop", r -> r.getStatus().getHistory() != null
                    && !r.getStatus().getHistory().isEmpty());

            String page = PageNames.name(resource);
            assertThat(label("watch-2", page)).isEqualTo("true");
            assertThat(deploymentInformer().get(new ResourceID(page, "watch-2"))).as("the page Deployment, cached")
                    .isPresent();
        }
    }

    private String label(String namespace, String deployment) {
        Map<String, String> labels = client.apps().deployments().inNamespace(namespace).withName(deployment).get()
                .getMetadata().getLabels();
        return labels == null ? null : labels.get(Workloads.WATCHED_LABEL);
    }

    @SuppressWarnings("unchecked")
    private InformerEventSource<Deployment, ?> deploymentInformer() {
        // The event sources are their own health indicators: the way JOSDK exposes them outside the reconciler.
        return (InformerEventSource<Deployment, ?>) operator.getRegisteredControllers().stream()
                .filter(c -> c.getConfiguration().getResourceClass() == ManagedUpgrade.class).findFirst().orElseThrow()
                .getControllerHealthInfo().informerEventSourceHealthIndicators().get("deployment");
    }
}
