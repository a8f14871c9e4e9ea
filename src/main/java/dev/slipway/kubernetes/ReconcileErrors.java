package dev.slipway.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** One line for an admin from an exception no step turned into a typed failure. */
final class ReconcileErrors {

    private ReconcileErrors() {
    }

    static String describe(Exception e) {
        if (e instanceof KubernetesClientException api && api.getCode() > 0) {
            String message = api.getStatus() != null && api.getStatus().getMessage() != null
                    ? api.getStatus().getMessage() : api.getMessage();
            return "the Kubernetes API server answered " + api.getCode() + ": " + message;
        }
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
