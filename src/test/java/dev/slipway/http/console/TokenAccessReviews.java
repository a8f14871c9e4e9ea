package dev.slipway.http.console;

import dev.slipway.kubernetes.access.AccessReviews;
import dev.slipway.kubernetes.access.KubernetesUser;
import dev.slipway.kubernetes.access.ManagedUpgradeVerb;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Two known tokens, an admin allowed every verb and a viewer allowed only {@code get}: the console's HTTP checks are
 * tested against this until the Kubernetes TokenReview/SubjectAccessReview test double is wired in.
 */
@Alternative
@Singleton
public class TokenAccessReviews implements AccessReviews {

    static final String ADMIN_TOKEN = "admin-token-5f0c2e9b7d";
    static final String VIEWER_TOKEN = "viewer-token-81a4c3e6f2";
    static final KubernetesUser ADMIN = new KubernetesUser("system:serviceaccount:ops:admin", List.of("ops"));
    static final KubernetesUser VIEWER = new KubernetesUser("system:serviceaccount:ops:viewer", List.of("ops"));

    private static final Map<String, KubernetesUser> USERS = Map.of(ADMIN_TOKEN, ADMIN, VIEWER_TOKEN, VIEWER);

    @Override
    public Optional<KubernetesUser> authenticate(String bearerToken) {
        return Optional.ofNullable(USERS.get(bearerToken));
    }

    @Override
    public boolean allowed(KubernetesUser user, String namespace, String name, ManagedUpgradeVerb verb) {
        return user.equals(ADMIN) || (user.equals(VIEWER) && Set.of(ManagedUpgradeVerb.GET).contains(verb));
    }
}
