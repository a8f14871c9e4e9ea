package dev.slipway.kubernetes.ingress;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Optional;

/**
 * Points every backend of the application's Ingress at the maintenance page and back. The original spec is saved
 * as JSON on the Ingress itself (annotation) before anything changes, so traffic can be restored even if the
 * operator's status is lost; the status keeps a second copy in case the annotation is.
 */
@ApplicationScoped
public class IngressSwap {

    public static final String ORIGINAL_SPEC_ANNOTATION = "slipway.dev/original-spec";
    private static final int CONFLICT_RETRIES = 5;

    private final KubernetesClient client;
    private final KubernetesSerialization json;

    public IngressSwap(KubernetesClient client) {
        this.client = client;
        this.json = client.getKubernetesSerialization();
    }

    /** Why the Ingress cannot be swapped, or empty when it can. */
    public Optional<String> problem(String namespace, String name) {
        Ingress ingress = get(namespace, name);
        if (ingress == null) {
            return Optional.of("Ingress '" + name + "' does not exist in namespace " + namespace);
        }
        IngressSpec spec = ingress.getSpec();
        boolean hasBackend = spec != null && (spec.getDefaultBackend() != null || spec.getRules().stream()
                .anyMatch(r -> r.getHttp() != null && !r.getHttp().getPaths().isEmpty()));
        return hasBackend ? Optional.empty() : Optional.of("Ingress '" + name + "' has no backend to redirect");
    }

    /**
     * Saves the original spec (once: a retried swap never overwrites it with an already swapped spec) and points
     * every backend at {@code service:port}. Returns the saved original spec as JSON.
     */
    public String swapTo(String namespace, String name, String service, int port) {
        return withConflictRetry(() -> {
            Ingress ingress = require(namespace, name);
            String original = pointAtPage(ingress, service, port, json);
            client.resource(ingress).update();
            return original;
        });
    }

    /**
     * Turns {@code ingress} into its swapped form, in place: the original spec saved in the annotation (unless already
     * there) and every backend on {@code service:port}. Returns the saved original spec as JSON.
     */
    public static String pointAtPage(Ingress ingress, String service, int port, KubernetesSerialization json) {
        String original = annotation(ingress).orElseGet(() -> json.asJson(ingress.getSpec()));
        IngressSpec swapped = json.unmarshal(original, IngressSpec.class);
        IngressBackend page = new IngressBackendBuilder().withNewService().withName(service).withNewPort()
                .withNumber(port).endPort().endService().build();
        if (swapped.getDefaultBackend() != null) {
            swapped.setDefaultBackend(page);
        }
        for (IngressRule rule : swapped.getRules()) {
            if (rule.getHttp() != null) {
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    path.setBackend(page);
                }
            }
        }
        if (ingress.getMetadata().getAnnotations() == null) {
            ingress.getMetadata().setAnnotations(new HashMap<>());
        }
        ingress.getMetadata().getAnnotations().put(ORIGINAL_SPEC_ANNOTATION, original);
        ingress.setSpec(swapped);
        return original;
    }

    /**
     * Puts the saved spec back and removes the annotation. The annotation wins over {@code savedInStatus}: it is
     * written in the same update that changed the spec, so it is always the true original.
     *
     * @return false when the Ingress no longer exists (nothing to restore to)
     */
    public boolean restore(String namespace, String name, String savedInStatus) {
        return withConflictRetry(() -> {
            Ingress ingress = get(namespace, name);
            if (ingress == null) {
                return false;
            }
            Optional<String> original = annotation(ingress).or(() -> Optional.ofNullable(savedInStatus));
            if (original.isEmpty()) {
                return true;
            }
            ingress.setSpec(json.unmarshal(original.get(), IngressSpec.class));
            ingress.getMetadata().getAnnotations().remove(ORIGINAL_SPEC_ANNOTATION);
            client.resource(ingress).update();
            return true;
        });
    }

    /** Whether the Ingress still carries a saved original, i.e. traffic is (or may be) on the page. */
    public boolean isSwapped(String namespace, String name) {
        Ingress ingress = get(namespace, name);
        return ingress != null && annotation(ingress).isPresent();
    }

    private Ingress get(String namespace, String name) {
        return client.network().v1().ingresses().inNamespace(namespace).withName(name).get();
    }

    private Ingress require(String namespace, String name) {
        Ingress ingress = get(namespace, name);
        if (ingress == null) {
            throw new IllegalStateException("Ingress '" + name + "' does not exist in namespace " + namespace);
        }
        return ingress;
    }

    private static Optional<String> annotation(Ingress ingress) {
        return Optional.ofNullable(ingress.getMetadata().getAnnotations()).map(a -> a.get(ORIGINAL_SPEC_ANNOTATION));
    }

    private static <T> T withConflictRetry(java.util.function.Supplier<T> action) {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }
}
