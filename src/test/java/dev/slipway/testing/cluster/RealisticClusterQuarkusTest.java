package dev.slipway.testing.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.cluster.GarbageCollector;
import dev.slipway.demo.cluster.WorkloadControllers;
import dev.slipway.testing.OperatorTestBase;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The opt-in for operator tests: the injected client talks to the realistic server, the admission is injectable. */
@QuarkusTest
@WithRealisticKubernetes
class RealisticClusterQuarkusTest extends OperatorTestBase {

    @InjectAdmission
    AdmissionDispatcher admission;

    private WorkloadControllers controllers;
    private GarbageCollector collector;

    @BeforeEach
    void startControllers() {
        controllers = new WorkloadControllers(client, Clock.systemUTC()).gracePeriod(Duration.ofMillis(500)).start();
        collector = new GarbageCollector(client).start();
    }

    @AfterEach
    void stopControllers() {
        collector.close();
        controllers.close();
    }

    @Test
    void theOperatorsClientSeesDefaultsDenialsRunningPodsAndGarbageCollection() {
        namespace("realistic");
        admission.denyOnce(AdmissionDenial.webhook("Deployment", "realistic", "web", "gatekeeper", "no"));
        Deployment web = SampleApplication.deployment("realistic", "web", "web", "1.0.0", 2);
        assertThatThrownBy(() -> client.resource(web).create()).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).isEqualTo(403));

        Deployment created = client.resource(web).create();

        assertThat(created.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments()
                .inNamespace("realistic").withName("web").get(), d -> d.getStatus() != null
                        && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()));
        assertThat(client.pods().inNamespace("realistic").withLabel("app", "web").list().getItems()).hasSize(2);

        client.resource(created).delete();
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> client.pods().inNamespace("realistic").list().getItems(), List::isEmpty);
    }
}
