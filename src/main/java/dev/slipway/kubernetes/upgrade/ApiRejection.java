package dev.slipway.kubernetes.upgrade;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API server's refusal of a write (an admission webhook's 403, an exhausted quota's 403, a 422 Invalid, a 5xx the
 * client gave up retrying), described for an admin: which verb on which object, and what the server said. A 409
 * Conflict is not a refusal: whoever wrote in between is retried against; nor is a 404 Not Found: the object went away
 * between the step's read and its write, and the step's next read reports it by its own reason (WorkloadMissing).
 */
final class ApiRejection {

    /** fabric8's message for a failed request starts with the HTTP method: "Failure executing: PUT at: https://...". */
    private static final Pattern METHOD = Pattern.compile("Failure executing: ([A-Z]+) at");
    private static final Map<String, String> VERBS = Map.of("POST", "create", "PUT", "update", "PATCH", "patch",
            "DELETE", "delete", "GET", "get");
    /** The kinds Slipway writes, by their resource name in API paths. */
    private static final Map<String, String> KINDS = Map.ofEntries(Map.entry("deployments", "Deployment"),
            Map.entry("statefulsets", "StatefulSet"), Map.entry("ingresses", "Ingress"), Map.entry("services", "Service"),
            Map.entry("configmaps", "ConfigMap"), Map.entry("serviceaccounts", "ServiceAccount"),
            Map.entry("roles", "Role"), Map.entry("rolebindings", "RoleBinding"), Map.entry("secrets", "Secret"),
            Map.entry("pods", "Pod"), Map.entry("managedupgrades", "ManagedUpgrade"));

    private ApiRejection() {
    }

    /** Whether {@code e} is an answer of the API server that retrying the same request would not change. */
    static boolean isRejection(KubernetesClientException e) {
        return e.getCode() > 0 && e.getCode() != 409 && e.getCode() != 404;
    }

    /** E.g. "update of Ingress shop/web refused (403): admission webhook "policy" denied the request: ...". */
    static String describe(KubernetesClientException e) {
        Matcher method = METHOD.matcher(String.valueOf(e.getMessage()));
        String verb = method.find() ? VERBS.getOrDefault(method.group(1), method.group(1)) : "request";
        // A create is sent to the collection: then only the server's answer names the object.
        var details = e.getStatus() == null ? null : e.getStatus().getDetails();
        String plural = e.getResourcePlural();
        String kind = plural != null ? KINDS.getOrDefault(plural, plural)
                : details != null && details.getKind() != null ? details.getKind() : "object";
        String name = e.getName() != null ? e.getName() : details != null ? details.getName() : null;
        String object = (e.getNamespace() == null ? "" : e.getNamespace() + "/") + (name == null ? "(new)" : name);
        String said = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
        return verb + " of " + kind + " " + object + " refused (" + e.getCode() + "): " + said;
    }
}
