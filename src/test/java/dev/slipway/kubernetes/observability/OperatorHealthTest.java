package dev.slipway.kubernetes.observability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.slipway.testing.WithoutOperatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

/**
 * Before the operator has started (and its informers synced; JOSDK's start returns only then), the pod is alive but
 * not Ready. Readiness once started is shown by {@code OperatorObservabilityTest}.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(WithoutOperatorProfile.class)
class OperatorHealthTest {

    @Test
    void aliveButNotReadyUntilTheOperatorHasStarted() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.name", hasItem("Quarkus Operator SDK health check"));
    }
}
