package dev.slipway.helm;

import static dev.slipway.helm.HelmChartTest.RELEASE_NAMESPACE;
import static dev.slipway.helm.HelmChartTest.VALUES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.demo.SampleApplication;
import dev.slipway.kubernetes.page.PageNames;
import dev.slipway.testing.cluster.Grants;
import dev.slipway.testing.cluster.Manifests;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's parts for the maintenance page pod in a real cluster: the operator's pull Secrets shared with the page
 * pods only when asked (and the RBAC that takes), and the optional NetworkPolicies that let the Ingress controller
 * reach the page pods and the operator reach the API server, the databases and the Release APIs.
 */
class PagePodChartTest {

    private static final Path LOCKED_DOWN = VALUES.resolve("page-pod-network.yaml");

    private static Manifests lockedDown() {
        return Manifests.parse(HelmChartTest.render(command -> command.withValuesFile(LOCKED_DOWN)));
    }

    private static Manifests defaults() {
        return HelmChartTest.rendered(HelmChartTest.Scenario.DEFAULT);
    }

    @Test
    void byDefaultNoSecretIsCopiedOrWrittenAndNoNetworkPolicyIsInstalled() {
        Manifests manifests = defaults();

        assertThat(manifests.kinds()).doesNotContain("NetworkPolicy");
        assertThat(HelmChartTest.environment(manifests)).doesNotContainKey("SLIPWAY_PAGE_OPERATOR_PULL_SECRETS");
        Grants grants = new Grants(HelmChartTest.applicationClusterRole(manifests).getRules());
        assertThat(List.of("create", "update", "delete", "list", "watch"))
                .noneMatch(verb -> grants.allows("", "secrets", verb));
    }

    @Test
    void copyingThePullSecretsTellsTheOperatorTheirNamesAndGrantsReadingOnlyThoseAndWritingCopies() {
        Manifests manifests = lockedDown();

        Map<String, String> environment = HelmChartTest.environment(manifests);
        SlipwayConfig config = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(environment, 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(SlipwayConfig.class).build().getConfigMapping(SlipwayConfig.class);
        assertThat(config.page().operatorPullSecrets()).contains(List.of("registry-credentials", "mirror-credentials"));

        Role reader = manifests.ofKind("Role", Role.class).stream()
                .filter(role -> role.getMetadata().getName().endsWith("-pull-secrets")).findFirst().orElseThrow();
        assertThat(reader.getMetadata().getNamespace()).isEqualTo(RELEASE_NAMESPACE);
        Grants readable = new Grants(reader.getRules());
        assertThat(readable.allowsOn("", "secrets", "get", "registry-credentials")).isTrue();
        assertThat(readable.allowsOn("", "secrets", "get", "mirror-credentials")).isTrue();
        assertThat(readable.allowsOn("", "secrets", "get", "database-admin")).isFalse();
        assertThat(manifests.ofKind("RoleBinding", RoleBinding.class)).anySatisfy(binding ->
                assertThat(binding.getRoleRef().getName()).isEqualTo(reader.getMetadata().getName()));

        List<Role> applicationRoles = manifests.ofKind("Role", Role.class).stream()
                .filter(role -> Set.of("shop", "wiki").contains(role.getMetadata().getNamespace())).toList();
        assertThat(applicationRoles).hasSize(2).allSatisfy(role -> {
            Grants grants = new Grants(role.getRules());
            assertThat(List.of("get", "create", "update", "delete")).allMatch(verb -> grants.allows("", "secrets", verb));
            assertThat(List.of("list", "watch")).noneMatch(verb -> grants.allows("", "secrets", verb));
        });
    }

    @Test
    void theIngressControllersReachThePagePodsOfEachWatchedNamespaceWhichReachOnlyDnsAndTheApiServer() {
        List<NetworkPolicy> pagePolicies = lockedDown().ofKind("NetworkPolicy", NetworkPolicy.class).stream()
                .filter(policy -> !policy.getMetadata().getNamespace().equals(RELEASE_NAMESPACE)).toList();
        ManagedUpgrade anyUpgrade = new SampleApplication().managedUpgrade("shop", "shop", "http://feed.example");
        String pageName = PageNames.selector(anyUpgrade).get("app.kubernetes.io/name");

        assertThat(pagePolicies).extracting(policy -> policy.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("shop", "wiki");
        assertThat(pagePolicies).allSatisfy(policy -> {
            assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                    .as("selects the pods the operator labels as the page")
                    .isEqualTo(Map.of("app.kubernetes.io/name", pageName));
            assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
                assertThat(ports(rule.getPorts())).containsExactly("TCP/" + PageNames.PAGE_PORT);
                assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                    assertThat(peer.getNamespaceSelector().getMatchLabels())
                            .containsEntry("kubernetes.io/metadata.name", "traefik");
                    assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "traefik");
                });
            });
            assertThat(policy.getSpec().getEgress()).satisfiesExactly(
                    dns -> assertThat(ports(dns.getPorts())).containsExactlyInAnyOrder("UDP/53", "TCP/53"),
                    apiServer -> {
                        assertThat(cidrs(apiServer.getTo())).containsExactly("10.0.0.0/28");
                        assertThat(ports(apiServer.getPorts())).containsExactly("TCP/6443");
                    });
        });
    }

    @Test
    void theOperatorReachesTheApiServerTheDatabasesAndTheReleaseApisAndIsReachedOnItsHttpPort() {
        NetworkPolicy operator = lockedDown().ofKind("NetworkPolicy", NetworkPolicy.class).stream()
                .filter(policy -> policy.getMetadata().getNamespace().equals(RELEASE_NAMESPACE))
                .collect(Collectors.collectingAndThen(Collectors.toList(), policies -> {
                    assertThat(policies).hasSize(1);
                    return policies.get(0);
                }));
        var deployment = lockedDown().single("Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class);

        assertThat(operator.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(operator.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(ports(rule.getPorts())).containsExactly("TCP/8080");
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> assertThat(
                    peer.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring"));
        });
        assertThat(operator.getSpec().getEgress()).satisfiesExactly(
                dns -> assertThat(ports(dns.getPorts())).containsExactlyInAnyOrder("UDP/53", "TCP/53"),
                apiServer -> assertThat(cidrs(apiServer.getTo())).containsExactly("10.0.0.0/28"),
                databases -> {
                    assertThat(cidrs(databases.getTo())).containsExactly("10.20.0.0/16");
                    assertThat(ports(databases.getPorts())).containsExactly("TCP/5432");
                },
                releaseApis -> {
                    assertThat(releaseApis.getTo()).as("anywhere").isNullOrEmpty();
                    assertThat(ports(releaseApis.getPorts())).containsExactly("TCP/443");
                },
                healthChecks -> assertThat(ports(healthChecks.getPorts())).containsExactly("TCP/8080"));
    }

    private static List<String> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(port -> port.getProtocol() + "/" + port.getPort().getIntVal()).toList();
    }

    private static List<String> cidrs(List<NetworkPolicyPeer> peers) {
        return peers.stream().map(peer -> peer.getIpBlock().getCidr()).toList();
    }
}
