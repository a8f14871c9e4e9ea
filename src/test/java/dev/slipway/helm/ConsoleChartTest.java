package dev.slipway.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.testing.cluster.Manifests;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import dev.slipway.testing.cluster.Grants;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's side of console and status API access: settings, the roles for people, the operator's reviews. */
class ConsoleChartTest {

    @Test
    void theConsoleIsOffAndNoProxyIsTrustedByDefault() {
        Map<String, String> env = HelmChartTest.environment(Manifests.parse(HelmChartTest.render(command -> command)));

        assertThat(env).containsEntry("SLIPWAY_CONSOLE_ENABLED", "false")
                .containsEntry("SLIPWAY_CONSOLE_REVIEW_CACHE_TTL", "5s")
                .doesNotContainKeys("SLIPWAY_CONSOLE_TRUSTED_PROXY_ENABLED", "SLIPWAY_CONSOLE_TRUSTED_PROXY_ADDRESSES");
    }

    @Test
    void aTrustedProxyIsPassedWithItsAddressesAndHeaderNames() throws IOException {
        Map<String, String> env = HelmChartTest.environment(Manifests.parse(HelmChartTest.renderWithValues("""
                console:
                  enabled: true
                  trustedProxy:
                    enabled: true
                    addresses: ["10.42.0.0/16", "fd00::/8"]
                    userHeader: X-Auth-Request-User
                """)));

        assertThat(env).containsEntry("SLIPWAY_CONSOLE_ENABLED", "true")
                .containsEntry("SLIPWAY_CONSOLE_TRUSTED_PROXY_ENABLED", "true")
                .containsEntry("SLIPWAY_CONSOLE_TRUSTED_PROXY_ADDRESSES", "10.42.0.0/16,fd00::/8")
                .containsEntry("SLIPWAY_CONSOLE_TRUSTED_PROXY_USER_HEADER", "X-Auth-Request-User")
                .containsEntry("SLIPWAY_CONSOLE_TRUSTED_PROXY_GROUPS_HEADER", "X-Forwarded-Groups");
    }

    @Test
    void trustingAProxyWithoutAddressesIsRefused() {
        assertThatThrownBy(() -> HelmChartTest.renderWithValues("console: {trustedProxy: {enabled: true}}"))
                .hasMessageContaining("console.trustedProxy.addresses: list the proxy's CIDRs");
    }

    @Test
    void theViewerMayOnlyReadAndTheAdminMayAlsoActWithTheCustomVerbs() {
        Manifests manifests = Manifests.parse(HelmChartTest.render(command -> command));
        Grants viewer = grants(manifests, "slipway-console-viewer");
        Grants admin = grants(manifests, "slipway-console-admin");

        assertThat(viewer.allows("slipway.dev", "managedupgrades", "get")).isTrue();
        for (String verb : new String[] {"approve", "start", "pause", "retry", "abandon", "patch"}) {
            assertThat(viewer.allows("slipway.dev", "managedupgrades", verb)).as(verb).isFalse();
            assertThat(admin.allows("slipway.dev", "managedupgrades", verb)).as(verb).isTrue();
        }
        assertThat(manifests.ofKind("ClusterRoleBinding", ClusterRoleBinding.class))
                .as("the chart binds the console roles to nobody: administrators do")
                .noneMatch(binding -> binding.getRoleRef().getName().startsWith("slipway-console-"));
    }

    @Test
    void theOperatorMayCreateTokenReviewsAndSubjectAccessReviewsAndNothingMoreThroughThatRole() {
        Grants reviews = grants(Manifests.parse(HelmChartTest.render(command -> command)),
                HelmChartTest.ACCESS_REVIEWS_ROLE);

        assertThat(reviews.allows("authentication.k8s.io", "tokenreviews", "create")).isTrue();
        assertThat(reviews.allows("authorization.k8s.io", "subjectaccessreviews", "create")).isTrue();
        assertThat(reviews.rules()).hasSize(2);
    }

    @Test
    void theChartRoutesNothingToTheConsoleThroughAnIngress() throws IOException {
        Manifests manifests = Manifests.parse(HelmChartTest.renderWithValues("console: {enabled: true}"));

        assertThat(manifests.ofKind("Ingress", Ingress.class)).isEmpty();
    }

    private static Grants grants(Manifests manifests, String role) {
        return new Grants(manifests.ofKind("ClusterRole", ClusterRole.class).stream()
                .filter(candidate -> candidate.getMetadata().getName().equals(role)).findFirst().orElseThrow()
                .getRules());
    }
}
