package dev.slipway.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.cluster.RealisticApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Background cascading deletion (kubernetes.io/docs/concepts/architecture/garbage-collection/#background-deletion):
 * the owner goes at once, the garbage collector then deletes its dependents; a dependent with another live owner
 * stays.
 */
class GarbageCollectorTest {

    private RealisticApiServer server;
    private KubernetesClient client;
    private WorkloadControllers controllers;
    private GarbageCollector collector;

    @BeforeEach
    void start() {
        server = RealisticApiServer.plainCrud();
        client = server.client();
        controllers = new WorkloadControllers(client, Clock.systemUTC()).gracePeriod(Duration.ofMillis(500)).start();
        collector = new GarbageCollector(client).start();
    }

    @AfterEach
    void stop() {
        collector.close();
        controllers.close();
        server.close();
    }

    @Test
    void deletingTheOwnerDeletesTheDependentsDownToThePods() {
        client.resource(DeploymentEmulationTest.deployment("web", "acme/web:1.0", 2)).create();
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> client.pods().inNamespace("shop").list().getItems(), pods -> pods.size() == 2);

        client.apps().deployments().inNamespace("shop").withName("web").delete();

        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> client.apps().replicaSets().inNamespace("shop").list().getItems(), List::isEmpty);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> client.pods().inNamespace("shop").list().getItems(), List::isEmpty);
    }

    @Test
    void aDependentGoesOnlyWhenAllItsOwnersAreGone() {
        Deployment first = client.resource(DeploymentEmulationTest.deployment("first", "acme/a:1", 0)).create();
        Deployment second = client.resource(DeploymentEmulationTest.deployment("second", "acme/b:1", 0)).create();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("shared").withNamespace("shop")
                .withOwnerReferences(owner(first), owner(second)).endMetadata().build()).create();

        client.resource(first).delete();
        assertThat(collector.collect()).as("the second owner still exists").doesNotContain("ConfigMap shop/shared");
        assertThat(client.resources(ConfigMap.class).inNamespace("shop").withName("shared").get()).isNotNull();

        client.resource(second).delete();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> client.resources(ConfigMap.class).inNamespace("shop").withName("shared").get() == null);
    }

    /** An owner deleted and re-created under the same name is another object (uid): its old dependents go. */
    @Test
    void anOwnerRecreatedUnderTheSameNameDoesNotAdoptTheOldDependents() {
        Deployment original = client.resource(DeploymentEmulationTest.deployment("page", "acme/page:1", 0)).create();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("page-content").withNamespace("shop")
                .withOwnerReferences(owner(original)).endMetadata().build()).create();
        collector.close();
        client.resource(original).delete();
        client.resource(DeploymentEmulationTest.deployment("page", "acme/page:1", 0)).create();

        assertThat(new GarbageCollector(client).collect()).contains("ConfigMap shop/page-content");
    }

    private static io.fabric8.kubernetes.api.model.OwnerReference owner(Deployment deployment) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                .withName(deployment.getMetadata().getName()).withUid(deployment.getMetadata().getUid()).build();
    }
}
