package dev.slipway.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.testing.cluster.Manifests;
import dev.slipway.testing.cluster.SlipwayChart;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.k3s.K3sContainer;

/**
 * The chart's optional ValidatingAdmissionPolicy enforced by a real API server (k3s 1.31, where the policy kind is
 * served and on by default): two people who may both patch ManagedUpgrades (as a GitOps user would), one bound to the
 * console's admin role and one to its viewer role, make the change the console's Pause makes with plain kubectl.
 * The admin's is admitted, the viewer's refused with the policy's message. {@code AdmissionPolicyCelTest} checks the
 * same expressions with cel-java everywhere; this runs only where a Docker engine answers (skipped with a notice).
 */
@ExtendWith(RequiresDocker.class)
class K3sAdmissionPolicyTest {

    private static final String NAMESPACE = "shop";
    private static final Duration POLICY_ACTIVE = Duration.ofMinutes(2);

    @Test
    void aViewerMayNotPauseWithKubectlWhatTheConsoleWouldNotLetThemPause() throws IOException {
        try (K3sContainer k3s = new K3sContainer(K3sCluster.IMAGE)) {
            k3s.start();
            Config clusterAdmin = Config.fromKubeconfig(k3s.getKubeConfigYaml());
            try (KubernetesClient cluster = new KubernetesClientBuilder().withConfig(clusterAdmin).build()) {
                installCrdAndPolicy(cluster);
                grant(cluster, "alice", "slipway-console-admin");
                grant(cluster, "bob", "slipway-console-viewer");
                ManagedUpgrade shop = cluster.getKubernetesSerialization().unmarshal(
                        Files.readString(Path.of("examples/managedupgrades/minimal.yaml")), ManagedUpgrade.class);
                shop.getMetadata().setNamespace(NAMESPACE);
                cluster.resource(shop).create();
                String name = shop.getMetadata().getName();

                // The API server type-checks a new policy before it enforces it: wait until it refuses.
                Awaitility.await().atMost(POLICY_ACTIVE).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                        .untilAsserted(() -> assertThatThrownBy(() -> pause(clusterAdmin, "bob", name))
                                .isInstanceOfSatisfying(KubernetesClientException.class, refused -> {
                                    assertThat(refused.getCode()).isEqualTo(403);
                                    assertThat(refused.getMessage()).contains("bob may not change spec.policy.paused",
                                            "verb pause on managedupgrades.slipway.dev");
                                }));
                assertThat(paused(cluster, name)).as("the refused change was not stored").isNotEqualTo(true);

                pause(clusterAdmin, "alice", name);
                assertThat(paused(cluster, name)).isTrue();
            }
        }
    }

    private static void installCrdAndPolicy(KubernetesClient cluster) throws IOException {
        try (InputStream crd = Files.newInputStream(Path.of("crds/managedupgrades.slipway.dev-v1.yml"))) {
            cluster.resource(cluster.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
                    .create();
        }
        cluster.apiextensions().v1().customResourceDefinitions().withName("managedupgrades.slipway.dev")
                .waitUntilCondition(crd -> crd.getStatus() != null && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                        1, TimeUnit.MINUTES);
        Manifests chart = Manifests.parse(SlipwayChart.render(command -> command
                .set("admissionPolicy.enabled", true).set("admissionPolicy.skipCapabilityCheck", true)));
        chart.ofKind("ClusterRole", ClusterRole.class).stream()
                .filter(role -> role.getMetadata().getName().startsWith("slipway-console-"))
                .forEach(role -> cluster.resource(role).create());
        chart.ofKind("ValidatingAdmissionPolicy", ValidatingAdmissionPolicy.class)
                .forEach(policy -> cluster.resource(policy).create());
        chart.ofKind("ValidatingAdmissionPolicyBinding", ValidatingAdmissionPolicyBinding.class)
                .forEach(binding -> cluster.resource(binding).create());
        cluster.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build()).create();
    }

    /** {@code user} may get and patch ManagedUpgrades in the namespace, and holds {@code consoleRole} there. */
    private static void grant(KubernetesClient cluster, String user, String consoleRole) {
        cluster.resource(new RoleBuilder().withNewMetadata().withName(user + "-edits").withNamespace(NAMESPACE)
                .endMetadata().addNewRule().withApiGroups("slipway.dev").withResources("managedupgrades")
                .withVerbs("get", "patch").endRule().build()).create();
        for (String role : new String[] {user + "-edits", consoleRole}) {
            cluster.resource(new RoleBindingBuilder().withNewMetadata().withName(user + "-" + role)
                    .withNamespace(NAMESPACE).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                    .withKind(role.equals(consoleRole) ? "ClusterRole" : "Role").withName(role).endRoleRef()
                    .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(user)
                    .endSubject().build()).create();
        }
    }

    private static Boolean paused(KubernetesClient cluster, String name) {
        var policy = cluster.resources(ManagedUpgrade.class).inNamespace(NAMESPACE).withName(name).get().getSpec()
                .getPolicy();
        return policy == null ? null : policy.getPaused();
    }

    /** What the console's Pause writes, sent with kubectl's rights of {@code user} (impersonated). */
    private static void pause(Config clusterAdmin, String user, String name) {
        Config asUser = new ConfigBuilder(clusterAdmin).withImpersonateUsername(user)
                .withImpersonateGroups("system:authenticated").build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(asUser).build()) {
            client.resources(ManagedUpgrade.class).inNamespace(NAMESPACE).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"policy\":{\"paused\":true}}}");
        }
    }
}
