package dev.slipway.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.testing.cluster.Manifests;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The optional ValidatingAdmissionPolicy as the chart renders it: off by default, refused on a cluster that does not
 * serve it, one checked field per console action, the operator exempt. What its expressions decide is
 * {@link AdmissionPolicyCelTest}'s subject.
 */
class AdmissionPolicyChartTest {

    /** Values that render the policy with helm template, which has no cluster to ask what it serves. */
    static final String ENABLED = "admissionPolicy: {enabled: true, skipCapabilityCheck: true}";

    @Test
    void thePolicyIsNotInstalledByDefault() {
        Manifests manifests = Manifests.parse(HelmChartTest.render(command -> command));

        assertThat(manifests.kinds()).doesNotContain("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    }

    @Test
    void enablingItOnAClusterWithoutValidatingAdmissionPolicyFailsNamingTheRequirement() {
        assertThatThrownBy(() -> HelmChartTest.renderWithValues("admissionPolicy: {enabled: true}"))
                .hasMessageContaining("admissionPolicy.enabled: the cluster does not serve"
                        + " admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy (Kubernetes 1.30+)")
                .hasMessageContaining("admissionPolicy.skipCapabilityCheck=true");
    }

    @Test
    void everyConsoleActionsFieldIsCheckedWithItsVerbOnUpdatesOfManagedUpgrades() throws IOException {
        ValidatingAdmissionPolicy policy = policy(Manifests.parse(HelmChartTest.renderWithValues(ENABLED)));

        assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
        assertThat(policy.getSpec().getMatchConstraints().getResourceRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("slipway.dev");
            assertThat(rule.getResources()).containsExactly("managedupgrades");
            assertThat(rule.getOperations()).containsExactly("UPDATE");
        });
        assertThat(policy.getSpec().getValidations()).extracting(Validation::getMessageExpression)
                .anySatisfy(message -> assertThat(message).contains("spec.policy.version", "verb approve"))
                .anySatisfy(message -> assertThat(message).contains("spec.policy.approval", "verb approve"))
                .anySatisfy(message -> assertThat(message).contains("spec.policy.approvedVersion", "verb approve"))
                .anySatisfy(message -> assertThat(message).contains("spec.policy.approvedPlanHash", "verb approve"))
                .anySatisfy(message -> assertThat(message).contains("spec.policy.paused", "verb pause"))
                .anySatisfy(message -> assertThat(message).contains("spec.actions.startNow", "verb start"))
                .anySatisfy(message -> assertThat(message).contains("spec.actions.retry", "verb retry"))
                .anySatisfy(message -> assertThat(message).contains("spec.actions.abandon", "verb abandon"))
                .anySatisfy(message -> assertThat(message).contains("slipway.dev/requested-by"));
        assertThat(policy.getSpec().getValidations()).allSatisfy(validation -> {
            assertThat(validation.getReason()).isEqualTo("Forbidden");
            assertThat(validation.getMessage()).as("messageExpression replaces a fixed message").isNull();
        });
    }

    @Test
    void theOperatorsServiceAccountIsExemptWhateverItIsNamed() throws IOException {
        ValidatingAdmissionPolicy policy = policy(Manifests.parse(HelmChartTest.renderWithValues(ENABLED + """

                serviceAccount: {create: false, name: upgrades-operator}
                """)));

        assertThat(policy.getSpec().getMatchConditions()).singleElement().satisfies(condition -> assertThat(
                condition.getExpression()).isEqualTo(
                "request.userInfo.username != 'system:serviceaccount:slipway-system:upgrades-operator'"));
    }

    @Test
    void theBindingDeniesByDefaultInEveryNamespace() throws IOException {
        Manifests manifests = Manifests.parse(HelmChartTest.renderWithValues(ENABLED));
        ValidatingAdmissionPolicyBinding binding = manifests.single("ValidatingAdmissionPolicyBinding",
                ValidatingAdmissionPolicyBinding.class);

        assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy(manifests).getMetadata().getName());
        assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
        assertThat(binding.getSpec().getMatchResources()).isNull();
    }

    @Test
    void theBindingCanWarnAndAuditAndSelectNamespaces() throws IOException {
        ValidatingAdmissionPolicyBinding binding = Manifests.parse(HelmChartTest.renderWithValues("""
                admissionPolicy:
                  enabled: true
                  skipCapabilityCheck: true
                  validationActions: [Warn, Audit]
                  namespaceSelector: {matchLabels: {team: shop}}
                """)).single("ValidatingAdmissionPolicyBinding", ValidatingAdmissionPolicyBinding.class);

        assertThat(binding.getSpec().getValidationActions()).containsExactly("Warn", "Audit");
        assertThat(binding.getSpec().getMatchResources().getNamespaceSelector().getMatchLabels())
                .isEqualTo(Map.of("team", "shop"));
    }

    @Test
    void denyingAndWarningAtOnceIsRefusedAsAreUnknownActions() {
        assertThatThrownBy(() -> renderActions("[Deny, Warn]"))
                .hasMessageContaining("admissionPolicy.validationActions: Deny and Warn exclude each other");
        for (String actions : List.of("[Block]", "[]")) {
            assertThatThrownBy(() -> renderActions(actions)).as(actions)
                    .hasMessageContaining("/admissionPolicy/validationActions");
        }
    }

    private static String renderActions(String actions) throws IOException {
        return HelmChartTest.renderWithValues(
                "admissionPolicy: {enabled: true, skipCapabilityCheck: true, validationActions: " + actions + "}");
    }

    static ValidatingAdmissionPolicy policy(Manifests manifests) {
        return manifests.single("ValidatingAdmissionPolicy", ValidatingAdmissionPolicy.class);
    }
}
