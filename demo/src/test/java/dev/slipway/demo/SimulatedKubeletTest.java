package dev.slipway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's stand-in for pods, now the workload controller emulation: Ready only after the ready delay, so the
 * maintenance page can be watched; and, as a real Deployment controller does, a scale-down leaves status at once
 * while the Pods run until their grace period (here the ready delay) is over.
 */
class SimulatedKubeletTest {

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        server.destroy();
    }

    @Test
    void aWorkloadBecomesReadyNoSoonerThanTheReadyDelay() {
        Duration delay = Duration.ofMillis(800);
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client, delay).start()) {
            long created = System.nanoTime();
            client.resource(deployment("web", 2)).create();

            Deployment ready = awaitReadyReplicas("web", 2);

            assertThat(Duration.ofNanos(System.nanoTime() - created)).isGreaterThanOrEqualTo(delay);
            assertThat(ready.getStatus().getUpdatedReplicas()).isEqualTo(2);
            assertThat(pods("web")).hasSize(2);
        }
    }

    @Test
    void aScaleDownLeavesTheStatusAtOnceWhileThePodsTerminateForTheDelay() {
        Duration delay = Duration.ofMillis(1500);
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client, delay).start()) {
            client.resource(deployment("web", 2)).create();
            awaitReadyReplicas("web", 2);

            long scaledDown = System.nanoTime();
            client.apps().deployments().inNamespace("shop").withName("web").scale(0);
            awaitReadyReplicas("web", 0);

            assertThat(pods("web")).as("terminating, still running").hasSize(2)
                    .allSatisfy(pod -> assertThat(pod.getMetadata().getDeletionTimestamp()).isNotNull());
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> pods("web"), List::isEmpty);
            assertThat(Duration.ofNanos(System.nanoTime() - scaledDown)).isGreaterThanOrEqualTo(delay);
        }
    }

    @Test
    void withoutADelayAScaleDownSettlesToNoReplicasAndNoPods() {
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client).start()) {
            client.resource(deployment("worker", 1)).create();
            awaitReadyReplicas("worker", 1);

            client.apps().deployments().inNamespace("shop").withName("worker").scale(0);

            awaitReadyReplicas("worker", 0);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pods("worker"), List::isEmpty);
        }
    }

    @Test
    void aWorkloadThatNeverBecomesReadyKeepsItsPodsUnready() throws InterruptedException {
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client).start()) {
            kubelet.neverReady("shop", "web");
            client.resource(deployment("web", 1)).create();
            client.resource(deployment("worker", 1)).create();
            awaitReadyReplicas("worker", 1);

            Thread.sleep(500);

            assertThat(pods("web")).hasSize(1);
            Deployment web = client.apps().deployments().inNamespace("shop").withName("web").get();
            assertThat(web.getStatus().getReadyReplicas()).isNotEqualTo(1);
        }
    }

    private List<Pod> pods(String app) {
        return client.pods().inNamespace("shop").withLabel("app", app).list().getItems();
    }

    private Deployment awaitReadyReplicas(String name, int replicas) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> client.apps().deployments().inNamespace("shop").withName(name).get(),
                        d -> d.getStatus() != null && replicas == (d.getStatus().getReadyReplicas() == null ? 0
                                : d.getStatus().getReadyReplicas()));
    }

    private static Deployment deployment(String name, int replicas) {
        Map<String, String> labels = Map.of("app", name);
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .addNewContainer().withName(name).withImage("example/" + name + ":1").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }
}
