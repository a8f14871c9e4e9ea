package dev.slipway.http.api;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.kubernetes.observability.WatchedNamespaces;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads ManagedUpgrades for the console with plain get and list calls, as fresh as the API server's (an action patches
 * with the resourceVersion read here). Only watched namespaces are read. The status API reads the controller's
 * informer cache instead ({@link dev.slipway.kubernetes.observability.ManagedUpgradeCache}).
 */
@ApplicationScoped
public class ManagedUpgradeReader {

    private static final Comparator<ManagedUpgrade> BY_NAMESPACE_AND_NAME = Comparator
            .comparing((ManagedUpgrade r) -> r.getMetadata().getNamespace())
            .thenComparing(r -> r.getMetadata().getName());

    private final KubernetesClient client;
    private final WatchedNamespaces namespaces;

    public ManagedUpgradeReader(KubernetesClient client, WatchedNamespaces namespaces) {
        this.client = client;
        this.namespaces = namespaces;
    }

    public List<ManagedUpgrade> list() {
        if (namespaces.all()) {
            return client.resources(ManagedUpgrade.class).inAnyNamespace().list().getItems().stream()
                    .sorted(BY_NAMESPACE_AND_NAME).toList();
        }
        return namespaces.listed().stream()
                .flatMap(namespace -> client.resources(ManagedUpgrade.class).inNamespace(namespace).list().getItems().stream())
                .sorted(BY_NAMESPACE_AND_NAME).toList();
    }

    public Optional<ManagedUpgrade> get(String namespace, String name) {
        if (!namespaces.includes(namespace)) {
            return Optional.empty();
        }
        return Optional.ofNullable(client.resources(ManagedUpgrade.class).inNamespace(namespace).withName(name).get());
    }
}
