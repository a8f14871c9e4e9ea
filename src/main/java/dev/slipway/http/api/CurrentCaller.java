package dev.slipway.http.api;

import dev.slipway.kubernetes.access.KubernetesUser;
import jakarta.enterprise.context.RequestScoped;

/** The user of the request being served, set by {@link ApiAuthenticationFilter} before any resource runs. */
@RequestScoped
public class CurrentCaller {

    private KubernetesUser user;

    void set(KubernetesUser user) {
        this.user = user;
    }

    public KubernetesUser user() {
        if (user == null) {
            throw new IllegalStateException("no authenticated caller: the request did not pass ApiAuthenticationFilter");
        }
        return user;
    }
}
