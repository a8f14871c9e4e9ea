package dev.slipway.kubernetes.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.AdjustableClock;
import dev.slipway.testing.cluster.AccessReviewDispatcher;
import dev.slipway.testing.cluster.Manifests;
import dev.slipway.testing.cluster.RealisticApiServer;
import dev.slipway.testing.cluster.SlipwayChart;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * KubernetesAccessReviews against the CRUD API server answering TokenReviews and SubjectAccessReviews from the RBAC
 * objects it stores ({@link AccessReviewDispatcher}), with the chart's two console ClusterRoles.
 */
class AccessReviewsTest {

    private static final Duration TTL = Duration.ofSeconds(5);
    private static List<ClusterRole> chartRoles;

    private RealisticApiServer server;
    private KubernetesClient client;
    private KubernetesClient operatorClient;
    private AccessReviewDispatcher apiServer;
    private AdjustableClock clock;
    private KubernetesAccessReviews reviews;

    @BeforeAll
    static void renderChart() {
        chartRoles = Manifests.parse(SlipwayChart.render(command -> command)).ofKind("ClusterRole", ClusterRole.class)
                .stream().filter(role -> role.getMetadata().getName().startsWith("slipway-console-")).toList();
    }

    @BeforeEach
    void startApiServer() {
        server = RealisticApiServer.plainCrud();
        client = server.client();
        apiServer = AccessReviewDispatcher.install(server.server());
        chartRoles.forEach(role -> client.resource(role).create());
        clock = new AdjustableClock(Instant.parse("2026-12-06T01:00:00Z"));
        // no retries of the 500s of anApiServerErrorDeniesAndIsNotRemembered: the answer, not the backoff, is tested
        operatorClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build())
                .build();
        reviews = new KubernetesAccessReviews(operatorClient, clock, TTL);
    }

    @AfterEach
    void stopApiServer() {
        operatorClient.close();
        server.close();
    }

    @Test
    void aTokenTheApiServerAcceptsNamesItsUserAndGroups() {
        apiServer.register("alice-token", "alice@example.com", "shop-ops");

        assertThat(reviews.authenticate("alice-token")).contains(
                new KubernetesUser("alice@example.com", List.of("shop-ops", "system:authenticated")));
    }

    @Test
    void anUnknownOrMissingTokenAuthenticatesNobody() {
        apiServer.register("alice-token", "alice@example.com");

        assertThat(reviews.authenticate("forged-token")).isEmpty();
        assertThat(reviews.authenticate("")).isEmpty();
        assertThat(reviews.authenticate(null)).isEmpty();
    }

    @Test
    void theChartsViewerMayGetButNotAct() {
        bindInShop("viewers", "slipway-console-viewer", user("alice"));

        assertThat(allowedVerbs(alice(), "shop")).containsExactly(ManagedUpgradeVerb.GET);
        assertThat(allowedVerbs(alice(), "wiki")).as("a RoleBinding grants in its own namespace only").isEmpty();
    }

    @Test
    void theChartsAdminMayDoEverything() {
        bindInShop("admins", "slipway-console-admin", user("alice"));

        assertThat(allowedVerbs(alice(), "shop")).containsExactlyInAnyOrder(ManagedUpgradeVerb.values());
    }

    @Test
    void aRoleGrantingOnlyApproveAllowsApprovingAndNothingElse() {
        client.resource(new RoleBuilder().withNewMetadata().withName("approver").withNamespace("shop").endMetadata()
                .addNewRule().withApiGroups("slipway.dev").withResources("managedupgrades").withResourceNames("web")
                .withVerbs("approve").endRule().build()).create();
        client.resource(new RoleBindingBuilder().withNewMetadata().withName("approvers").withNamespace("shop")
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "approver")
                .withSubjects(user("alice")).build()).create();

        assertThat(allowedVerbs(alice(), "shop")).containsExactly(ManagedUpgradeVerb.APPROVE);
        assertThat(reviews.allowed(alice(), "shop", "other", ManagedUpgradeVerb.APPROVE))
                .as("resourceNames limit the grant to the one ManagedUpgrade").isFalse();
    }

    @Test
    void aGroupBindingGrantsItsMembers() {
        bindInShop("ops", "slipway-console-admin",
                new SubjectBuilder().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName("shop-ops")
                        .build());

        assertThat(reviews.allowed(new KubernetesUser("bob", List.of("shop-ops")), "shop", "web",
                ManagedUpgradeVerb.ABANDON)).isTrue();
        assertThat(reviews.allowed(new KubernetesUser("bob", List.of("wiki-ops")), "shop", "web",
                ManagedUpgradeVerb.GET)).isFalse();
    }

    @Test
    void aServiceAccountBoundByKindIsTheUserItsTokenAuthenticatesAs() {
        bindInShop("ci", "slipway-console-admin", new SubjectBuilder().withKind("ServiceAccount").withName("deployer")
                .withNamespace("ci").build());
        apiServer.registerServiceAccount("deployer-token", "ci", "deployer");
        apiServer.registerServiceAccount("other-token", "ci", "other");

        KubernetesUser deployer = reviews.authenticate("deployer-token").orElseThrow();
        KubernetesUser other = reviews.authenticate("other-token").orElseThrow();

        assertThat(deployer.name()).isEqualTo("system:serviceaccount:ci:deployer");
        assertThat(reviews.allowed(deployer, "shop", "web", ManagedUpgradeVerb.START)).isTrue();
        assertThat(reviews.allowed(other, "shop", "web", ManagedUpgradeVerb.START)).isFalse();
    }

    @Test
    void aClusterRoleBindingGrantsInEveryNamespace() {
        client.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("auditors").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "slipway-console-viewer")
                .withSubjects(user("alice")).build()).create();

        assertThat(reviews.allowed(alice(), "shop", "web", ManagedUpgradeVerb.GET)).isTrue();
        assertThat(reviews.allowed(alice(), "wiki", "docs", ManagedUpgradeVerb.GET)).isTrue();
        assertThat(reviews.allowed(alice(), "wiki", "docs", ManagedUpgradeVerb.PAUSE)).isFalse();
    }

    @Test
    void deletingTheRoleBindingRevokesOnceTheCachedAnswerExpires() {
        bindInShop("admins", "slipway-console-admin", user("alice"));
        assertThat(reviews.allowed(alice(), "shop", "web", ManagedUpgradeVerb.APPROVE)).isTrue();

        client.rbac().roleBindings().inNamespace("shop").withName("admins").delete();
        clock.advance(TTL.minusMillis(1));
        assertThat(reviews.allowed(alice(), "shop", "web", ManagedUpgradeVerb.APPROVE))
                .as("still the cached answer").isTrue();

        clock.advance(Duration.ofMillis(1));
        assertThat(reviews.allowed(alice(), "shop", "web", ManagedUpgradeVerb.APPROVE)).isFalse();
    }

    @Test
    void anAcceptedTokenIsReviewedAgainAfterTheCacheLifetime() {
        apiServer.register("alice-token", "alice");
        assertThat(reviews.authenticate("alice-token")).isPresent();

        apiServer.reset();
        assertThat(reviews.authenticate("alice-token")).as("cached").isPresent();
        clock.advance(TTL);
        assertThat(reviews.authenticate("alice-token")).isEmpty();
    }

    @Test
    void anApiServerErrorDeniesAndIsNotRemembered() {
        bindInShop("admins", "slipway-console-admin", user("alice"));
        apiServer.register("alice-token", "alice");
        apiServer.failReviews(true);

        assertThat(reviews.authenticate("alice-token")).isEmpty();
        assertThat(reviews.allowed(alice(), "shop", "web", ManagedUpgradeVerb.GET)).isFalse();

        apiServer.failReviews(false);
        assertThat(reviews.authenticate("alice-token")).isPresent();
        assertThat(reviews.allowed(alice(), "shop", "web", ManagedUpgradeVerb.GET)).isTrue();
    }

    private Set<ManagedUpgradeVerb> allowedVerbs(KubernetesUser user, String namespace) {
        Set<ManagedUpgradeVerb> allowed = EnumSet.noneOf(ManagedUpgradeVerb.class);
        Arrays.stream(ManagedUpgradeVerb.values()).filter(verb -> reviews.allowed(user, namespace, "web", verb))
                .forEach(allowed::add);
        return allowed;
    }

    private void bindInShop(String name, String clusterRole, Subject subject) {
        client.resource(new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole).withSubjects(subject)
                .build()).create();
    }

    private static Subject user(String name) {
        return new SubjectBuilder().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName(name).build();
    }

    private static KubernetesUser alice() {
        return new KubernetesUser("alice", List.of("system:authenticated"));
    }
}
