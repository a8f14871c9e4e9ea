package dev.slipway.kubernetes.page;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps a node drain or cluster-autoscaler scale-down from taking every page pod at once: with two or more replicas,
 * a PodDisruptionBudget of {@code maxUnavailable: 1}. Not {@code minAvailable: 1}: that one also counts while the page
 * is scaled to zero between upgrades (its desired healthy stays 1 with no pod), which is how the common "PDB at limit /
 * not enough healthy pods" alerts fire permanently; {@code maxUnavailable} follows the Deployment's own replica count,
 * allows nothing to be missing at zero, and still allows one eviction at a time when the page is up.
 */
@ApplicationScoped
public class PageDisruptionBudget {

    private final KubernetesClient client;

    public PageDisruptionBudget(KubernetesClient client) {
        this.client = client;
    }

    /** Creates or updates the budget when the page runs {@code replicas} ≥ 2, removes it otherwise. */
    public void ensure(ManagedUpgrade resource, int replicas) {
        var existing = client.policy().v1().podDisruptionBudget().inNamespace(resource.getMetadata().getNamespace())
                .withName(PageNames.name(resource));
        if (replicas < 2) {
            existing.delete();
            return;
        }
        PodDisruptionBudget desired = desired(resource);
        PodDisruptionBudget stored = existing.get();
        if (stored == null) {
            client.resource(desired).create();
        } else if (!owned(stored).equals(owned(desired))) {
            desired.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
            client.resource(desired).update();
        }
    }

    public void remove(ManagedUpgrade resource) {
        client.policy().v1().podDisruptionBudget().inNamespace(resource.getMetadata().getNamespace())
                .withName(PageNames.name(resource)).delete();
    }

    /** What Slipway sets; the API server adds the rest (unhealthyPodEvictionPolicy defaults, status). */
    private static List<Object> owned(PodDisruptionBudget budget) {
        var spec = budget.getSpec();
        return List.of(PageNames.ownedLabels(budget.getMetadata().getLabels()),
                String.valueOf(spec.getMaxUnavailable()), String.valueOf(spec.getMinAvailable()),
                spec.getSelector() == null ? "none" : Objects.requireNonNullElse(spec.getSelector().getMatchLabels(),
                        Map.of()));
    }

    public static PodDisruptionBudget desired(ManagedUpgrade resource) {
        return new PodDisruptionBudgetBuilder().withMetadata(PageNames.metadata(resource))
                .withNewSpec().withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(PageNames.selector(resource)).endSelector()
                .endSpec().build();
    }
}
