package dev.slipway.kubernetes.access;

import java.util.Optional;

/**
 * Authentication and authorization the Kubernetes way: the API server says who a bearer token belongs to
 * (TokenReview) and whether that user may do something to a ManagedUpgrade (SubjectAccessReview), so the cluster's
 * own RBAC, and its revocations, decide what a console user sees and does.
 */
public interface AccessReviews {

    /** The user the API server says the token belongs to; empty when it does not accept the token. */
    Optional<KubernetesUser> authenticate(String bearerToken);

    /** Whether the user may do {@code verb} to the ManagedUpgrade {@code namespace/name}. */
    boolean allowed(KubernetesUser user, String namespace, String name, ManagedUpgradeVerb verb);
}
