package dev.slipway.kubernetes.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** What an admin reads when the API server refuses a step's write; a 409 Conflict is not a refusal. */
class ApiRejectionTest {

    @Test
    void aRefusedCreateNamesTheVerbTheObjectFromTheAnswerAndWhatTheServerSaid() {
        Status quota = new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("deployments.apps \"shop-maintenance\" is forbidden: exceeded quota: compute")
                .withNewDetails().withKind("Deployment").withName("shop-maintenance").endDetails().build();
        KubernetesClientException refused = new KubernetesClientException("Failure executing: POST at: "
                + "https://api/apis/apps/v1/namespaces/shop/deployments. Message: " + quota.getMessage(), 403, quota);

        assertThat(ApiRejection.isRejection(refused)).isTrue();
        assertThat(ApiRejection.describe(refused)).isEqualTo("create of Deployment shop-maintenance refused (403): "
                + "deployments.apps \"shop-maintenance\" is forbidden: exceeded quota: compute");
    }

    @Test
    void conflictsVanishedObjectsAndConnectionFailuresAreNotRefusals() {
        assertThat(ApiRejection.isRejection(new KubernetesClientException("Failure executing: PUT at: x", 404,
                new StatusBuilder().withCode(404).build()))).isFalse();
        assertThat(ApiRejection.isRejection(new KubernetesClientException("Failure executing: PUT at: x", 409,
                new StatusBuilder().withCode(409).build()))).isFalse();
        assertThat(ApiRejection.isRejection(new KubernetesClientException("connection refused"))).isFalse();
        assertThat(ApiRejection.isRejection(new KubernetesClientException("Failure executing: PATCH at: x", 503,
                new StatusBuilder().withCode(503).withMessage("etcdserver: request timed out").build()))).isTrue();
    }
}
