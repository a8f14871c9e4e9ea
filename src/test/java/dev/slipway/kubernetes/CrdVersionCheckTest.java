package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.Crds;
import dev.slipway.testing.cluster.RealisticApiServer;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The installed CRD's version, as the operator reads it from the API server at start. */
class CrdVersionCheckTest {

    private final RealisticApiServer api = RealisticApiServer.plainCrud();
    private final KubernetesClient client = api.client();
    private final CrdVersionCheck check = new CrdVersionCheck(client);

    @AfterEach
    void stopServer() {
        api.close();
    }

    /** The committed CRD with its version annotation set to {@code version}, or removed when null. */
    static void installCrd(KubernetesClient client, String version) {
        Crds.applyManagedUpgrade(client);
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .withName(CrdVersionCheck.CRD_NAME).get();
        if (version == null) {
            crd.getMetadata().getAnnotations().remove(CrdVersionCheck.VERSION_ANNOTATION);
        } else {
            crd.getMetadata().getAnnotations().put(CrdVersionCheck.VERSION_ANNOTATION, version);
        }
        client.resource(crd).update();
    }

    @Test
    void theCommittedCrdIsAccepted() {
        Crds.applyManagedUpgrade(client);

        assertThat(check.check()).isEmpty();
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void aNewerCrdIsAcceptedSinceItsSchemaKnowsEveryFieldThisOperatorWrites() {
        installCrd(client, String.valueOf(CrdVersionCheck.CRD_VERSION + 1));

        assertThat(check.check()).isEmpty();
    }

    @Test
    void aCrdWithoutTheAnnotationPredatesVersioningAndIsRefusedWithBothVersionsAndTheFix() {
        installCrd(client, null);

        Optional<String> refusal = check.check();

        assertThat(refusal).hasValueSatisfying(line -> assertThat(line)
                .contains("managedupgrades.slipway.dev", "no slipway.dev/crd-version annotation",
                        "this operator needs version " + CrdVersionCheck.CRD_VERSION, "not reconciling",
                        "kubectl apply --server-side -f crds/managedupgrades.slipway.dev-v1.yml",
                        "Helm never upgrades CRDs")
                .doesNotContain("\n"));
        HealthCheckResponse readiness = check.call();
        assertThat(readiness.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(readiness.getData()).hasValueSatisfying(data -> assertThat(data)
                .containsEntry("required", (long) CrdVersionCheck.CRD_VERSION)
                .containsEntry("problem", refusal.get()));
    }

    @Test
    void anOlderVersionIsRefusedNamingIt() {
        installCrd(client, "0");

        assertThat(check.check()).hasValueSatisfying(line -> assertThat(line)
                .contains("is at version 0, but this operator needs version " + CrdVersionCheck.CRD_VERSION));
    }

    @Test
    void anUnreadableVersionIsRefusedQuotingIt() {
        installCrd(client, "v2-beta");

        assertThat(check.check()).hasValueSatisfying(line -> assertThat(line).contains("\"v2-beta\""));
    }

    @Test
    void aMissingCrdIsRefused() {
        assertThat(check.check()).hasValueSatisfying(line -> assertThat(line)
                .contains("managedupgrades.slipway.dev is not installed", "version " + CrdVersionCheck.CRD_VERSION,
                        "kubectl apply --server-side -f crds/managedupgrades.slipway.dev-v1.yml"));
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    @Test
    void whenReadingTheCrdIsForbiddenTheOperatorRunsWithoutTheCheck() {
        api.server().expect().get()
                .withPath("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + CrdVersionCheck.CRD_NAME)
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").build()).always();

        assertThat(check.check()).isEmpty();
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void aCheckThatPassesAfterTheCrdWasAppliedClearsTheRefusal() {
        installCrd(client, null);
        assertThat(check.check()).isPresent();

        Crds.applyManagedUpgrade(client);

        assertThat(check.check()).isEmpty();
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
