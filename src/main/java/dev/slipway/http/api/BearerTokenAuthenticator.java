package dev.slipway.http.api;

import dev.slipway.kubernetes.access.AccessReviews;
import dev.slipway.kubernetes.access.KubernetesUser;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** {@code Authorization: Bearer <token>}, a token the API server accepts (TokenReview). */
@ApplicationScoped
public class BearerTokenAuthenticator implements CallerAuthenticator {

    private static final String PREFIX = "bearer ";

    private final AccessReviews reviews;

    public BearerTokenAuthenticator(AccessReviews reviews) {
        this.reviews = reviews;
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public boolean presentIn(CallerRequest request) {
        String authorization = request.header().apply("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    @Override
    public Optional<KubernetesUser> authenticate(CallerRequest request) {
        return reviews.authenticate(request.header().apply("Authorization").substring(PREFIX.length()).trim());
    }
}
