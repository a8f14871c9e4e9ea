package dev.slipway.kubernetes;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.slipway.testing.LogCapture;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * An operator started against a cluster whose ManagedUpgrade CRD predates the version annotation (an admin who ran
 * {@code helm upgrade}, which leaves CRDs alone) refuses to reconcile, says why in one log line, and is not Ready.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(StaleCrdOperatorTest.OwnApplication.class)
class StaleCrdOperatorTest {

    /** An application of its own: the refusal is kept for the life of the application. */
    public static class OwnApplication implements QuarkusTestProfile {
    }

    @Inject
    KubernetesClient client;

    @Inject
    OperatorLifecycle lifecycle;

    @Inject
    Operator operator;

    @Test
    void anOlderCrdKeepsTheOperatorFromReconcilingAndReadinessDown() {
        CrdVersionCheckTest.installCrd(client, null);

        String log;
        try (LogCapture capture = LogCapture.start()) {
            lifecycle.start();
            log = capture.text();
        }

        assertThat(operator.getRuntimeInfo().isStarted()).as("no controller runs").isFalse();
        assertThat(log.lines().filter(line -> line.contains("CRD")).toList()).singleElement()
                .satisfies(line -> assertThat(line).startsWith("ERROR dev.slipway.kubernetes.OperatorLifecycle")
                        .contains("no slipway.dev/crd-version annotation",
                                "this operator needs version " + CrdVersionCheck.CRD_VERSION,
                                "kubectl apply --server-side -f crds/managedupgrades.slipway.dev-v1.yml"));
        given().when().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'ManagedUpgrade CRD version' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'ManagedUpgrade CRD version' }.data.required",
                        equalTo(CrdVersionCheck.CRD_VERSION));
    }
}
