package dev.slipway.kubernetes.observability;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The namespaces the operator watches, as configured for its controller (the Helm chart's watchNamespaces). Readers
 * other than the controller follow the same scope: with a namespace list the operator has Roles only in those
 * namespaces, so a cluster-wide list or watch would be refused.
 */
@ApplicationScoped
public class WatchedNamespaces {

    private final Operator operator;
    private final KubernetesClient client;

    public WatchedNamespaces(Operator operator, KubernetesClient client) {
        this.operator = operator;
        this.client = client;
    }

    /** Whether every namespace is watched; {@link #listed()} names them otherwise. */
    public boolean all() {
        return informer().watchAllNamespaces();
    }

    /** The watched namespaces when not {@link #all()}. */
    public Set<String> listed() {
        InformerConfiguration<?> informer = informer();
        return informer.watchCurrentNamespace() ? Set.of(client.getNamespace()) : Set.copyOf(informer.getNamespaces());
    }

    public boolean includes(String namespace) {
        return all() || listed().contains(namespace);
    }

    private InformerConfiguration<?> informer() {
        // Found by the kind it reconciles rather than by name, so observability needs nothing of the controller.
        return operator.getRegisteredControllers().stream()
                .map(controller -> controller.getConfiguration())
                .filter(configuration -> configuration.getResourceClass() == ManagedUpgrade.class)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no ManagedUpgrade controller is registered"))
                .getInformerConfig();
    }
}
