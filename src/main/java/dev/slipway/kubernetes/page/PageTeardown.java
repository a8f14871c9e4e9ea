package dev.slipway.kubernetes.page;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Removes the maintenance page's objects when their ManagedUpgrade goes. They carry an ownerReference, so the garbage
 * collector would remove them too, but only once the owner is gone and only where it runs: removing them ourselves
 * leaves nothing behind whichever way the ManagedUpgrade is deleted (orphan propagation included).
 */
@ApplicationScoped
public class PageTeardown {

    private final KubernetesClient client;
    private final PageDisruptionBudget disruptionBudget;
    private final PagePullSecrets pullSecrets;

    public PageTeardown(KubernetesClient client, PageDisruptionBudget disruptionBudget, PagePullSecrets pullSecrets) {
        this.client = client;
        this.disruptionBudget = disruptionBudget;
        this.pullSecrets = pullSecrets;
    }

    public void remove(ManagedUpgrade resource) {
        String namespace = resource.getMetadata().getNamespace();
        String name = PageNames.name(resource);
        client.apps().deployments().inNamespace(namespace).withName(name).delete();
        disruptionBudget.remove(resource);
        pullSecrets.remove(resource);
        client.services().inNamespace(namespace).withName(name).delete();
        client.configMaps().inNamespace(namespace).withName(name).delete();
        client.rbac().roleBindings().inNamespace(namespace).withName(name).delete();
        client.rbac().roles().inNamespace(namespace).withName(name).delete();
        client.serviceAccounts().inNamespace(namespace).withName(name).delete();
    }
}
