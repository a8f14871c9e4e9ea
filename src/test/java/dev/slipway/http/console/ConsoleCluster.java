package dev.slipway.http.console;

import dev.slipway.testing.Crds;
import dev.slipway.testing.cluster.AccessReviewDispatcher;
import dev.slipway.testing.cluster.ConsoleRoles;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/**
 * The cluster of the console tests: two ServiceAccount tokens the test API server accepts (TokenReview), the chart's
 * console ClusterRoles bound in namespace {@value #NAMESPACE} as an administrator would bind them (admin, viewer), and
 * the ManagedUpgrade CRD.
 */
final class ConsoleCluster {

    static final String NAMESPACE = "console-a";
    static final String ADMIN_TOKEN = "admin-token-5f0c2e9b7d";
    static final String VIEWER_TOKEN = "viewer-token-81a4c3e6f2";
    static final String ADMIN = "system:serviceaccount:ops:admin";
    static final String VIEWER = "system:serviceaccount:ops:viewer";

    private ConsoleCluster() {
    }

    static void install(KubernetesServer server, KubernetesClient client) {
        AccessReviewDispatcher.install(server.getKubernetesMockServer()).registerServiceAccount(ADMIN_TOKEN, "ops",
                "admin").registerServiceAccount(VIEWER_TOKEN, "ops", "viewer");
        ConsoleRoles.apply(client);
        bind(client, "admins", ConsoleRoles.ADMIN, "admin");
        bind(client, "viewers", ConsoleRoles.VIEWER, "viewer");
        Crds.applyManagedUpgrade(client);
    }

    /** What {@code kubectl create rolebinding NAME --clusterrole=ROLE --serviceaccount=ops:ACCOUNT -n console-a} does. */
    private static void bind(KubernetesClient client, String name, String clusterRole, String serviceAccount) {
        client.resource(new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole).addNewSubject()
                .withKind("ServiceAccount").withName(serviceAccount).withNamespace("ops").endSubject().build())
                .createOr(NonDeletingOperation::update);
    }
}
