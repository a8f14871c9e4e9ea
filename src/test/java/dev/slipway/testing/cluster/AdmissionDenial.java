package dev.slipway.testing.cluster;

import java.util.Objects;

/**
 * A refusal the emulated admission chain answers once, for the next create, update or patch (of the object or its
 * scale subresource) of one object, with the status kube-apiserver would send:
 * <ul>
 * <li>{@link #webhook}: a validating webhook said no; the message is built as in
 * k8s.io/apiserver/pkg/admission/plugin/webhook/errors/statuserror.go ToStatusErr
 * ({@code admission webhook "<name>" denied the request: <message>}), code 403 as the webhook answered.</li>
 * <li>{@link #quotaExceeded}: the ResourceQuota admission plugin (plugin/pkg/admission/resourcequota/controller.go),
 * 403 Forbidden with {@code <resource> "<name>" is forbidden: exceeded quota: ...}.</li>
 * <li>{@link #invalid}: 422 Invalid for one field, as apimachinery's errors.NewInvalid words it.</li>
 * </ul>
 *
 * @param kind the object's kind, e.g. {@code Deployment}
 * @param namespace its namespace
 * @param name its name
 */
public record AdmissionDenial(String kind, String namespace, String name, Type type, String detail, String field) {

    public enum Type {
        WEBHOOK, QUOTA, INVALID
    }

    public AdmissionDenial {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** The webhook {@code webhookName} denies the next write with {@code message}. */
    public static AdmissionDenial webhook(String kind, String namespace, String name, String webhookName,
            String message) {
        return new AdmissionDenial(kind, namespace, name, Type.WEBHOOK,
                "admission webhook \"" + webhookName + "\" denied the request: " + message, null);
    }

    /** The quota {@code quotaName} is exhausted, e.g. usage {@code "requested: pods=1, used: pods=10, limited: pods=10"}. */
    public static AdmissionDenial quotaExceeded(String kind, String namespace, String name, String quotaName,
            String usage) {
        return new AdmissionDenial(kind, namespace, name, Type.QUOTA, "exceeded quota: " + quotaName + ", " + usage,
                null);
    }

    /** The field is refused as invalid, e.g. {@code ("spec.replicas", "must be greater than or equal to 0")}. */
    public static AdmissionDenial invalid(String kind, String namespace, String name, String field, String detail) {
        return new AdmissionDenial(kind, namespace, name, Type.INVALID, detail, field);
    }

    boolean matches(String kind, String namespace, String name) {
        return this.kind.equals(kind) && Objects.equals(this.namespace, namespace) && this.name.equals(name);
    }
}
