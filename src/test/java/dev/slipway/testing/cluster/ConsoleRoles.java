package dev.slipway.testing.cluster;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.List;

/**
 * The chart's ClusterRoles for people ({@code slipway-console-viewer}, {@code slipway-console-admin}) as the default
 * install renders them, put into a test API server and bound as an administrator binds them, so the access reviews
 * ({@link AccessReviewDispatcher}) decide on the chart's own rules.
 */
public final class ConsoleRoles {

    public static final String VIEWER = "slipway-console-viewer";
    public static final String ADMIN = "slipway-console-admin";

    private static List<ClusterRole> rendered;

    private ConsoleRoles() {
    }

    /** The chart's console ClusterRoles, rendered once per test JVM. */
    public static synchronized List<ClusterRole> fromChart() {
        if (rendered == null) {
            rendered = Manifests.parse(SlipwayChart.render(command -> command)).ofKind("ClusterRole", ClusterRole.class)
                    .stream().filter(role -> role.getMetadata().getName().startsWith("slipway-console-")).toList();
        }
        return rendered;
    }

    /** Creates (or keeps) the console ClusterRoles in the API server behind {@code client}. */
    public static void apply(KubernetesClient client) {
        fromChart().forEach(role -> client.resource(role).createOr(NonDeletingOperation::update));
    }

    /** What {@code kubectl create clusterrolebinding <user>-<role> --clusterrole=<role> --user=<user>} does. */
    public static void bindClusterWide(KubernetesClient client, String user, String role) {
        apply(client);
        client.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(user + "-" + role).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role).addNewSubject().withKind("User")
                .withName(user).endSubject().build()).createOr(NonDeletingOperation::update);
    }
}
