package dev.slipway.kubernetes.page;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The page pod's identity: a ServiceAccount whose Role can read only the page's own ConfigMap, so a compromised
 * page can learn nothing else about the cluster.
 */
@ApplicationScoped
public class PageAccess {

    private final KubernetesClient client;

    public PageAccess(KubernetesClient client) {
        this.client = client;
    }

    public void ensure(ManagedUpgrade resource) {
        String name = PageNames.name(resource);
        String namespace = resource.getMetadata().getNamespace();
        if (client.serviceAccounts().inNamespace(namespace).withName(name).get() == null) {
            client.resource(desiredServiceAccount(resource)).createOr(NonDeletingOperation::update);
        }
        if (client.rbac().roles().inNamespace(namespace).withName(name).get() == null) {
            client.resource(desiredRole(resource)).createOr(NonDeletingOperation::update);
        }
        if (client.rbac().roleBindings().inNamespace(namespace).withName(name).get() == null) {
            client.resource(desiredRoleBinding(resource)).createOr(NonDeletingOperation::update);
        }
    }

    public static ServiceAccount desiredServiceAccount(ManagedUpgrade resource) {
        return new ServiceAccountBuilder().withMetadata(PageNames.metadata(resource)).build();
    }

    public static Role desiredRole(ManagedUpgrade resource) {
        return new RoleBuilder().withMetadata(PageNames.metadata(resource))
                .addNewRule().withApiGroups("").withResources("configmaps").withResourceNames(PageNames.name(resource))
                .withVerbs("get", "list", "watch").endRule().build();
    }

    public static RoleBinding desiredRoleBinding(ManagedUpgrade resource) {
        String name = PageNames.name(resource);
        return new RoleBindingBuilder().withMetadata(PageNames.metadata(resource))
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(name)
                .withNamespace(resource.getMetadata().getNamespace()).endSubject()
                .build();
    }
}
