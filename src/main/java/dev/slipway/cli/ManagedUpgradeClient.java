package dev.slipway.cli;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The ManagedUpgrades of one namespace, read and patched as the user; every failure is a {@link ClusterRefusal}. */
final class ManagedUpgradeClient implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;

    private ManagedUpgradeClient(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    static ManagedUpgradeClient connect(ClusterOptions options) {
        KubernetesClient client = options.connect();
        return new ManagedUpgradeClient(client, options.namespace(client));
    }

    String namespace() {
        return namespace;
    }

    ManagedUpgrade get(String name) {
        ManagedUpgrade resource = call("get", name, () -> managedUpgrades().withName(name).get());
        if (resource == null) {
            throw ClusterRefusal.notFound("get", namespace, name);
        }
        return resource;
    }

    /** Every ManagedUpgrade of the namespace, by name. */
    List<ManagedUpgrade> list() {
        return call("list", null, () -> managedUpgrades().list().getItems()).stream()
                .sorted(Comparator.comparing(resource -> resource.getMetadata().getName())).toList();
    }

    /** Every ManagedUpgrade the user may list, of every namespace, by namespace and name. */
    List<ManagedUpgrade> listAllNamespaces() {
        return call("list", null, () -> client.resources(ManagedUpgrade.class).inAnyNamespace().list().getItems())
                .stream().sorted(Comparator.comparing((ManagedUpgrade resource) -> resource.getMetadata().getNamespace())
                        .thenComparing(resource -> resource.getMetadata().getName())).toList();
    }

    /** A JSON merge patch of the resource (never its status subresource). */
    ManagedUpgrade patch(String name, String mergePatch) {
        return call("patch", name, () -> managedUpgrades().withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch));
    }

    /**
     * The user's name as the API server authenticated it (SelfSubjectReview, authentication.k8s.io/v1, Kubernetes
     * 1.28+), or empty when the server refuses or does not serve it: recording who acted is worth one request, not a
     * failed action.
     */
    Optional<String> requester() {
        try {
            SelfSubjectReview review = client.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
            return Optional.ofNullable(review).map(SelfSubjectReview::getStatus)
                    .map(status -> status.getUserInfo() == null ? null : status.getUserInfo().getUsername())
                    .filter(user -> !user.isBlank());
        } catch (KubernetesClientException notServed) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private NonNamespaceOperation<ManagedUpgrade, KubernetesResourceList<ManagedUpgrade>, Resource<ManagedUpgrade>> managedUpgrades() {
        return client.resources(ManagedUpgrade.class).inNamespace(namespace);
    }

    private <T> T call(String verb, String name, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            String what = name == null ? "ManagedUpgrades in namespace " + namespace
                    : "ManagedUpgrade " + namespace + "/" + name;
            throw ClusterRefusal.of(e, verb, what, client.getConfiguration().getMasterUrl());
        }
    }
}
