package dev.slipway.kubernetes.page;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.config.SlipwayConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Copies of the operator's own image pull Secrets in an application's namespace, so that the page's pods can pull
 * the operator's image from a private registry. Only when the chart's {@code page.copyImagePullSecrets} names them
 * ({@code slipway.page.operator-pull-secrets}): a Secret is never copied into a namespace unasked. Each copy is owned
 * by the ManagedUpgrade and kept equal to its source on every page-up.
 */
@ApplicationScoped
public class PagePullSecrets {

    private final KubernetesClient client;
    private final List<String> sources;
    private final Optional<String> operatorNamespace;

    public PagePullSecrets(KubernetesClient client, SlipwayConfig config,
            @ConfigProperty(name = "pod.namespace") Optional<String> operatorNamespace) {
        this.client = client;
        this.sources = config.page().operatorPullSecrets().orElse(List.of());
        this.operatorNamespace = operatorNamespace;
    }

    /** The names of the copies the page's pods reference, in the order of the configured sources. */
    public List<String> copies(ManagedUpgrade resource) {
        return copies(resource, sources);
    }

    public static List<String> copies(ManagedUpgrade resource, List<String> sources) {
        return sources.stream().map(source -> PageNames.copiedPullSecret(resource, source)).toList();
    }

    /**
     * Creates or updates each copy from its source in the operator's namespace.
     *
     * @throws IllegalStateException naming the Secret when a source does not exist
     */
    public void ensure(ManagedUpgrade resource) {
        String namespace = resource.getMetadata().getNamespace();
        // Without POD_NAMESPACE (outside the chart) the client's namespace is the operator's own, as for the Lease.
        String from = operatorNamespace.orElse(client.getNamespace());
        for (String source : sources) {
            Secret original = client.secrets().inNamespace(from).withName(source).get();
            if (original == null) {
                throw new IllegalStateException("image pull Secret " + from + "/" + source + " (chart value "
                        + "imagePullSecrets, copied for the maintenance page because page.copyImagePullSecrets is on) "
                        + "does not exist");
            }
            Secret desired = desired(resource, original);
            Secret existing = client.secrets().inNamespace(namespace).withName(desired.getMetadata().getName()).get();
            if (existing == null) {
                client.resource(desired).create();
            } else if (!Objects.equals(existing.getType(), desired.getType())) {
                // The type of a Secret cannot change: replace the copy.
                client.resource(existing).delete();
                client.resource(desired).create();
            } else if (!Objects.equals(existing.getData(), desired.getData())
                    || !PageNames.ownedLabels(existing.getMetadata().getLabels())
                            .equals(PageNames.ownedLabels(desired.getMetadata().getLabels()))) {
                desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                client.resource(desired).update();
            }
        }
    }

    /** Removes the copies of the configured sources. */
    public void remove(ManagedUpgrade resource) {
        for (String copy : copies(resource)) {
            client.secrets().inNamespace(resource.getMetadata().getNamespace()).withName(copy).delete();
        }
    }

    public static Secret desired(ManagedUpgrade resource, Secret original) {
        var metadata = PageNames.metadata(resource);
        metadata.setName(PageNames.copiedPullSecret(resource, original.getMetadata().getName()));
        return new SecretBuilder().withMetadata(metadata).withType(original.getType()).withData(original.getData())
                .build();
    }
}
