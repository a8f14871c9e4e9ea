package dev.slipway.k3s;

import dev.slipway.core.upgrade.UpgradeResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.AllowedChange;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.demo.SampleApplication;
import dev.slipway.kubernetes.OperatorLifecycle;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.testing.Crds;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole story on a real Kubernetes: the CRD installed, the operator running in this JVM against k3s, the sample
 * shop deployed with an Ingress, its releases served by a Release API in this JVM, and a real 2-hop upgrade
 * (1.0.0 → 1.1.0 → 1.2.0) during which real pods are replaced and turn Ready and the Ingress is swapped to the
 * maintenance page and back.
 *
 * <p>Needs a Docker engine (skipped with a notice otherwise) and Slipway's own image in it, because the maintenance
 * page runs as a real pod: build it first with {@code ./mvnw package -DskipTests} and
 * {@code docker build -f src/main/docker/Dockerfile.jvm -t registry.example.com/slipway/slipway:0.1.0 .}
 * (the tag is {@code slipway.page.image}).
 */
@QuarkusTest
@ExtendWith(RequiresDocker.class)
@WithTestResource(value = K3sCluster.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class K3sUpgradeEndToEndTest {

    private static final String NAMESPACE = "shop-k3s";
    private static final Duration GENEROUS = Duration.ofMinutes(5);

    @Inject
    KubernetesClient client;

    @Inject
    OperatorLifecycle operator;

    @Inject
    SlipwayConfig config;

    @Test
    void twoHopUpgradeOnRealKubernetes() throws Exception {
        installCrd();
        SampleApplication application = new SampleApplication();
        K3sCluster.importFromDocker(config.page().image());
        List<String> componentImages = new ArrayList<>();
        for (String version : List.of("1.0.0", "1.1.0", "1.2.0", "2.0.0")) {
            componentImages.add(SampleApplication.image("web", version));
            componentImages.add(SampleApplication.image("worker", version));
        }
        K3sCluster.idleImageAs(componentImages);
        operator.start();

        try (ShopFixture shop = new ShopFixture(client, NAMESPACE, application)) {
            awaitReady("web", "1.0.0");
            awaitReady("worker", "1.0.0");
            Ingress original = shop.ingress();
            Set<String> backendsSeen = new CopyOnWriteArraySet<>();
            try (Watch ingressWatch = watchBackends(backendsSeen)) {
                ManagedUpgrade resource = shop.resource("shop");
                // Minor changes only: the target is 1.2.0, reached through the required stop 1.1.0.
                resource.getSpec().getPolicy().setAllow(AllowedChange.Minor);
                client.resource(resource).create();

                ManagedUpgrade done = Awaitility.await().atMost(GENEROUS).pollInterval(Duration.ofSeconds(1))
                        .until(() -> client.resources(ManagedUpgrade.class).inNamespace(NAMESPACE).withName("shop").get(),
                                r -> r.getStatus() != null && r.getStatus().getHistory() != null
                                        && !r.getStatus().getHistory().isEmpty());

                assertThat(done.getStatus().getHistory()).singleElement().satisfies(entry -> {
                    assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded);
                    assertThat(entry.path()).containsExactly("1.1.0", "1.2.0");
                });
            }
            awaitReady("web", "1.2.0");
            awaitReady("worker", "1.2.0");
            assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3");
            assertThat(backendsSeen).as("the Ingress pointed at the maintenance page during the upgrade")
                    .contains("shop-maintenance");
            Ingress restored = shop.ingress();
            assertThat(client.getKubernetesSerialization().asJson(restored.getSpec()))
                    .isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
            assertThat(restored.getMetadata().getAnnotations()).doesNotContainKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
        }
    }

    private void installCrd() {
        Crds.applyManagedUpgrade(client);
        client.resources(CustomResourceDefinition.class).withName("managedupgrades.slipway.dev")
                .waitUntilCondition(crd -> crd.getStatus() != null && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                        1, TimeUnit.MINUTES);
    }

    /** Waits until every pod of the component runs the given version and is Ready (a real kubelet's verdict). */
    private void awaitReady(String component, String version) {
        Awaitility.await().atMost(GENEROUS).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Deployment deployment = client.apps().deployments().inNamespace(NAMESPACE).withName(component).get();
            Integer desired = deployment.getSpec().getReplicas();
            var status = deployment.getStatus();
            return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()
                    .equals(SampleApplication.image(component, version))
                    && status != null && desired != null && desired.equals(status.getReadyReplicas())
                    && desired.equals(status.getUpdatedReplicas());
        });
    }

    private Watch watchBackends(Set<String> seen) {
        return client.network().v1().ingresses().inNamespace(NAMESPACE).withName(SampleApplication.INGRESS)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Ingress ingress) {
                        var backend = ingress.getSpec().getDefaultBackend();
                        if (backend != null && backend.getService() != null) {
                            seen.add(backend.getService().getName());
                        }
                        ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths()
                                .forEach(path -> seen.add(path.getBackend().getService().getName())));
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // The test closes the watch; a server-side close only means fewer backends recorded.
                    }
                });
    }
}
