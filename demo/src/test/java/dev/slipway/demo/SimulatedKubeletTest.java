package dev.slipway.demo;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The demo's stand-in for pods: Ready only after the ready delay, so the maintenance page can be watched. */
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

            Deployment ready = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> client.apps().deployments().inNamespace("shop").withName("web").get(),
                            d -> d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()));

            assertThat(Duration.ofNanos(System.nanoTime() - created)).isGreaterThanOrEqualTo(delay);
            assertThat(ready.getStatus().getUpdatedReplicas()).isEqualTo(2);
        }
    }

    @Test
    void aChangeMadeWhileAnEarlierOneIsPendingStillTakesTheWholeDelay() throws InterruptedException {
        Duration delay = Duration.ofMillis(800);
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client, delay).start()) {
            client.resource(deployment("web", 2)).create();
            Thread.sleep(delay.toMillis() / 2);
            long scaledDown = System.nanoTime();
            client.apps().deployments().inNamespace("shop").withName("web").edit(d -> {
                d.getSpec().setReplicas(0);
                return d;
            });

            awaitReadyReplicas("web", 0);

            assertThat(Duration.ofNanos(System.nanoTime() - scaledDown)).isGreaterThanOrEqualTo(delay);
        }
    }

    @Test
    void withoutADelayAScaleDownSettlesToNoReplicas() {
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client).start()) {
            client.resource(deployment("worker", 1)).create();
            awaitReadyReplicas("worker", 1);

            client.apps().deployments().inNamespace("shop").withName("worker").scale(0);

            awaitReadyReplicas("worker", 0);
        }
    }

    private void awaitReadyReplicas(String name, int replicas) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> client.apps().deployments().inNamespace("shop").withName(name).get(),
                        d -> d.getStatus() != null && Integer.valueOf(replicas).equals(d.getStatus().getReadyReplicas()));
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
