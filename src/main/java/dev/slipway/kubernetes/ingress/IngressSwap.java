package dev.slipway.kubernetes.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Points every backend of the application's Ingress at the maintenance page and back. The original spec, and the
 * original values of the backend-protocol annotations switched for the page ({@link PageBackendAnnotations}), are
 * saved as JSON on the Ingress itself (annotations) before anything changes, so traffic can be restored even if the
 * operator's status is lost; the status keeps a second copy in case the annotations are.
 *
 * <p>Both directions are JSON patches (RFC 6902) against the version just read: they add, change and remove exactly
 * the annotations concerned and replace the spec, so the restored Ingress is byte for byte the original, and a
 * concurrent change is a 409 retried on the latest version rather than overwritten. (A real API server offers no
 * strategic merge patch for this, and a merge patch cannot tell "remove" from "was never there".)
 */
@ApplicationScoped
public class IngressSwap {

    public static final String ORIGINAL_SPEC_ANNOTATION = "slipway.dev/original-spec";
    /** The switched annotations' values before the swap, as a JSON object (null: the annotation was absent). */
    public static final String ORIGINAL_ANNOTATIONS_ANNOTATION = "slipway.dev/original-annotations";
    private static final int CONFLICT_RETRIES = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> ANNOTATION_MAP = new TypeReference<>() {
    };

    /** What the swap saved: the spec and, when any was switched, the annotations' original values, as JSON. */
    public record Saved(String spec, String annotations) {
    }

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
     * Saves the originals (once: a retried swap never overwrites them with already swapped values), points every
     * backend at {@code service:port} and switches the backend-protocol annotations for the page.
     */
    public Saved swapTo(String namespace, String name, String service, int port) {
        return withConflictRetry(() -> {
            Ingress current = require(namespace, name);
            Ingress swapped = json.clone(current);
            Saved saved = pointAtPage(swapped, service, port, json);
            patch(current, swapped.getMetadata().getAnnotations(), tree(json.asJson(swapped.getSpec())));
            return saved;
        });
    }

    /**
     * Turns {@code ingress} into its swapped form, in place: the originals saved in annotations (unless already
     * there), every backend on {@code service:port}, the backend-protocol annotations as the page needs them.
     */
    public static Saved pointAtPage(Ingress ingress, String service, int port, KubernetesSerialization json) {
        Map<String, String> annotations = ingress.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(ingress.getMetadata().getAnnotations());
        Optional<String> savedSpec = Optional.ofNullable(annotations.get(ORIGINAL_SPEC_ANNOTATION));
        String spec = savedSpec.orElseGet(() -> json.asJson(ingress.getSpec()));
        // What the application's own annotations were: the current ones, with any already switched put back.
        String savedAnnotations = savedSpec.isPresent() ? annotations.get(ORIGINAL_ANNOTATIONS_ANNOTATION) : null;
        Map<String, String> original = new HashMap<>(annotations);
        original.remove(ORIGINAL_SPEC_ANNOTATION);
        original.remove(ORIGINAL_ANNOTATIONS_ANNOTATION);
        overlay(original, annotationMap(savedAnnotations));
        Map<String, String> forPage = PageBackendAnnotations.forPage(original);
        if (savedAnnotations == null && !forPage.isEmpty()) {
            Map<String, String> before = new TreeMap<>();
            forPage.keySet().forEach(key -> before.put(key, original.get(key)));
            savedAnnotations = toJson(before);
        }

        IngressSpec swapped = json.unmarshal(spec, IngressSpec.class);
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
        overlay(annotations, forPage);
        annotations.put(ORIGINAL_SPEC_ANNOTATION, spec);
        if (savedAnnotations != null) {
            annotations.put(ORIGINAL_ANNOTATIONS_ANNOTATION, savedAnnotations);
        }
        ingress.getMetadata().setAnnotations(annotations);
        ingress.setSpec(swapped);
        return new Saved(spec, savedAnnotations);
    }

    /**
     * Puts the saved spec and annotation values back and removes Slipway's annotations. The Ingress's own copies win
     * over {@code savedInStatus}: they are written in the same patch that changed the spec, so they are always the
     * true originals.
     *
     * @return false when the Ingress no longer exists (nothing to restore to)
     */
    public boolean restore(String namespace, String name, Saved savedInStatus) {
        return withConflictRetry(() -> {
            Ingress ingress = get(namespace, name);
            if (ingress == null) {
                return false;
            }
            Map<String, String> annotations = ingress.getMetadata().getAnnotations() == null ? new HashMap<>()
                    : new HashMap<>(ingress.getMetadata().getAnnotations());
            boolean onIngress = annotations.containsKey(ORIGINAL_SPEC_ANNOTATION);
            String spec = onIngress ? annotations.get(ORIGINAL_SPEC_ANNOTATION) : savedInStatus.spec();
            if (spec == null) {
                return true;
            }
            String switched = onIngress ? annotations.get(ORIGINAL_ANNOTATIONS_ANNOTATION) : savedInStatus.annotations();
            annotations.remove(ORIGINAL_SPEC_ANNOTATION);
            annotations.remove(ORIGINAL_ANNOTATIONS_ANNOTATION);
            overlay(annotations, annotationMap(switched));
            patch(ingress, annotations, tree(spec));
            return true;
        });
    }

    /** Whether the Ingress still carries a saved original, i.e. traffic is (or may be) on the page. */
    public boolean isSwapped(String namespace, String name) {
        Ingress ingress = get(namespace, name);
        return ingress != null && ingress.getMetadata().getAnnotations() != null
                && ingress.getMetadata().getAnnotations().containsKey(ORIGINAL_SPEC_ANNOTATION);
    }

    /**
     * One JSON patch from {@code current} to the given annotations and spec: per annotation an add (which replaces an
     * existing value) or a remove, the whole map removed when nothing is left (as on an Ingress that never had
     * annotations), and the spec replaced. The resourceVersion read makes the API server refuse it with 409 if the
     * Ingress changed since.
     */
    private void patch(Ingress current, Map<String, String> annotations, JsonNode spec) {
        ArrayNode ops = JSON.createArrayNode();
        op(ops, "replace", "/metadata/resourceVersion").put("value", current.getMetadata().getResourceVersion());
        Map<String, String> before = current.getMetadata().getAnnotations() == null ? Map.of()
                : current.getMetadata().getAnnotations();
        if (annotations.isEmpty()) {
            if (!before.isEmpty()) {
                op(ops, "remove", "/metadata/annotations");
            }
        } else if (before.isEmpty()) {
            op(ops, "add", "/metadata/annotations").set("value", JSON.valueToTree(new TreeMap<>(annotations)));
        } else {
            new TreeMap<>(annotations).forEach((key, value) -> {
                if (!value.equals(before.get(key))) {
                    op(ops, "add", "/metadata/annotations/" + pointerToken(key)).put("value", value);
                }
            });
            new TreeMap<>(before).keySet().stream().filter(key -> !annotations.containsKey(key))
                    .forEach(key -> op(ops, "remove", "/metadata/annotations/" + pointerToken(key)));
        }
        op(ops, "replace", "/spec").set("value", spec);
        client.network().v1().ingresses().inNamespace(current.getMetadata().getNamespace())
                .withName(current.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON), ops.toString());
    }

    private static ObjectNode op(ArrayNode ops, String op, String path) {
        return ops.addObject().put("op", op).put("path", path);
    }

    /** RFC 6901: "~" and "/" inside a name are escaped. */
    private static String pointerToken(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** Applies {@code changes} to {@code annotations}: a null value removes the annotation. */
    private static void overlay(Map<String, String> annotations, Map<String, String> changes) {
        changes.forEach((key, value) -> {
            if (value == null) {
                annotations.remove(key);
            } else {
                annotations.put(key, value);
            }
        });
    }

    private static Map<String, String> annotationMap(String saved) {
        if (saved == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(saved, ANNOTATION_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the saved Ingress annotations (" + ORIGINAL_ANNOTATIONS_ANNOTATION
                    + " or status.upgrade.originalIngressAnnotations) are not a JSON object: " + e.getOriginalMessage());
        }
    }

    private static JsonNode tree(String spec) {
        try {
            return JSON.readTree(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the saved Ingress spec (" + ORIGINAL_SPEC_ANNOTATION
                    + " or status.upgrade.originalIngress) is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String toJson(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
