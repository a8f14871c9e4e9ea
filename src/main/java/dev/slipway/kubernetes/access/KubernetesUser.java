package dev.slipway.kubernetes.access;

import java.util.List;

/**
 * A user as the Kubernetes API server knows them (from a TokenReview, or from a trusted authenticating proxy):
 * what a SubjectAccessReview is asked about.
 */
public record KubernetesUser(String name, List<String> groups) {

    public KubernetesUser {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a Kubernetes user needs a name");
        }
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
