package dev.slipway.kubernetes.access;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.config.SlipwayConfig;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * {@link AccessReviews} asked of the API server with the operator's client: a TokenReview
 * (authentication.k8s.io/v1, no audiences: the API server's own) says whose a token is, a SubjectAccessReview
 * (authorization.k8s.io/v1) on {@code managedupgrades} in group {@value ManagedUpgrade#GROUP} whether that user may
 * use a verb on one ManagedUpgrade. Answers are reused for {@code slipway.console.review-cache-ttl} (5 s), so a
 * console page does not cost a review per field and a revoked RoleBinding still takes effect within seconds. Tokens
 * are cached under their SHA-256, never themselves. Any error talking to the API server denies (fail closed), is not
 * cached, and is logged without the token.
 */
@ApplicationScoped
public class KubernetesAccessReviews implements AccessReviews {

    private static final Logger LOG = Logger.getLogger(KubernetesAccessReviews.class);
    private static final String RESOURCE = "managedupgrades";
    /** Above this many entries, expired ones are dropped on the next insert (a cache of seconds stays small). */
    private static final int PRUNE_ABOVE = 1024;

    private record Cached<T>(T value, Instant expires) {
    }

    private record Question(String user, List<String> groups, String namespace, String name, String verb) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Cached<Optional<KubernetesUser>>> users = new ConcurrentHashMap<>();
    private final Map<Question, Cached<Boolean>> decisions = new ConcurrentHashMap<>();

    @Inject
    public KubernetesAccessReviews(KubernetesClient client, Clock clock, SlipwayConfig config) {
        this(client, clock, config.console().reviewCacheTtl());
    }

    public KubernetesAccessReviews(KubernetesClient client, Clock clock, Duration ttl) {
        this.client = client;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public Optional<KubernetesUser> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            return Optional.empty();
        }
        String key = sha256(bearerToken);
        Instant now = clock.instant();
        Cached<Optional<KubernetesUser>> cached = users.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.value();
        }
        Optional<KubernetesUser> user;
        try {
            TokenReview review = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                    .withNewSpec().withToken(bearerToken).endSpec().build());
            user = user(review.getStatus());
        } catch (RuntimeException e) {
            LOG.warnf("TokenReview failed, the token is refused: %s", describe(e));
            return Optional.empty();
        }
        put(users, key, new Cached<>(user, now.plus(ttl)), now);
        return user;
    }

    @Override
    public boolean allowed(KubernetesUser user, String namespace, String name, ManagedUpgradeVerb verb) {
        Question question = new Question(user.name(), user.groups(), namespace, name, verb.verb());
        Instant now = clock.instant();
        Cached<Boolean> cached = decisions.get(question);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.value();
        }
        boolean allowed;
        try {
            SubjectAccessReview review = client.authorization().v1().subjectAccessReview().create(
                    new SubjectAccessReviewBuilder().withNewSpec().withUser(user.name()).withGroups(user.groups())
                            .withNewResourceAttributes().withGroup(ManagedUpgrade.GROUP).withResource(RESOURCE)
                            .withNamespace(namespace).withName(name).withVerb(verb.verb()).endResourceAttributes()
                            .endSpec().build());
            allowed = review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed())
                    && !Boolean.TRUE.equals(review.getStatus().getDenied());
        } catch (RuntimeException e) {
            LOG.warnf("SubjectAccessReview for %s %s %s/%s failed, denied: %s", user.name(), verb.verb(), namespace,
                    name, describe(e));
            return false;
        }
        put(decisions, question, new Cached<>(allowed, now.plus(ttl)), now);
        return allowed;
    }

    private static Optional<KubernetesUser> user(TokenReviewStatus status) {
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null
                || status.getUser().getUsername() == null || status.getUser().getUsername().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new KubernetesUser(status.getUser().getUsername(), status.getUser().getGroups()));
    }

    private static <K, V> void put(Map<K, Cached<V>> cache, K key, Cached<V> value, Instant now) {
        if (cache.size() > PRUNE_ABOVE) {
            cache.values().removeIf(entry -> !now.isBefore(entry.expires()));
        }
        cache.put(key, value);
    }

    /** The failure's class and message; the request (which carries the token) is never part of it. */
    private static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
