package dev.slipway.demo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the demo's API server answers to TokenReview and SubjectAccessReview, which the fabric8 CRUD server does not
 * know: exactly two bearer tokens, drawn at random (256 bits) for each run, belong to the users {@value #ADMIN} and
 * {@value #VIEWER}. The admin may use every console verb on ManagedUpgrades in the demo's namespace ({@code get},
 * {@code patch} and the custom verbs), the viewer only {@code get}; every other token is unauthenticated and every
 * other question denied. This stands in for a cluster's authenticators and RBAC in the demo only: the operator asks
 * a real API server the same questions.
 */
public final class DemoAccessReviews {

    public static final String ADMIN = "demo-admin";
    public static final String VIEWER = "demo-viewer";
    static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final String SUBJECT_ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, Set<String>> VERBS = Map.of(
            ADMIN, Set.of("get", "patch", "approve", "start", "pause", "retry", "abandon"),
            VIEWER, Set.of("get"));

    private final String namespace;
    private final Map<String, String> usersByToken;
    private final Map<String, String> tokensByUser;

    /** New random tokens for the admin and the viewer, allowed in {@code namespace}. */
    public DemoAccessReviews(String namespace) {
        this.namespace = namespace;
        String admin = randomToken();
        String viewer = randomToken();
        this.usersByToken = Map.of(admin, ADMIN, viewer, VIEWER);
        this.tokensByUser = Map.of(ADMIN, admin, VIEWER, viewer);
    }

    /**
     * Writes the user's token to {@code file}, readable by its owner only (0600) from the moment it exists.
     *
     * @throws UncheckedIOException when it cannot
     */
    public Path writeToken(String user, Path file) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            return Files.writeString(file, tokensByUser.get(user));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's " + user + " token to " + file, e);
        }
    }

    /** The answer to a TokenReview or SubjectAccessReview; empty for any other request. */
    public Optional<MockResponse> answer(RecordedRequest request) {
        String path = request.getPath().split("\\?", 2)[0];
        if (request.method() != HttpMethod.POST
                || !(path.equals(TOKEN_REVIEWS) || path.equals(SUBJECT_ACCESS_REVIEWS))) {
            return Optional.empty();
        }
        ObjectNode review;
        try {
            review = (ObjectNode) JSON.readTree(request.getUtf8Body());
        } catch (IOException | ClassCastException e) {
            return Optional.of(json(400, JSON.createObjectNode().put("kind", "Status").put("status", "Failure")
                    .put("reason", "BadRequest").put("message", "the review is not a JSON object").put("code", 400)));
        }
        if (path.equals(TOKEN_REVIEWS)) {
            authenticate(review);
        } else {
            authorize(review);
        }
        return Optional.of(json(201, review));
    }

    private void authenticate(ObjectNode review) {
        String user = usersByToken.get(review.path("spec").path("token").asText(""));
        ObjectNode status = review.putObject("status");
        if (user == null) {
            status.put("authenticated", false).put("error", "[invalid bearer token]");
        } else {
            status.put("authenticated", true).putObject("user").put("username", user).putArray("groups")
                    .add("system:authenticated");
        }
    }

    private void authorize(ObjectNode review) {
        JsonNode spec = review.path("spec");
        JsonNode attributes = spec.path("resourceAttributes");
        Set<String> verbs = VERBS.getOrDefault(spec.path("user").asText(""), Set.of());
        boolean allowed = ManagedUpgrade.GROUP.equals(attributes.path("group").asText())
                && HasMetadata.getPlural(ManagedUpgrade.class).equals(attributes.path("resource").asText())
                && attributes.path("subresource").asText("").isEmpty()
                && namespace.equals(attributes.path("namespace").asText())
                && verbs.contains(attributes.path("verb").asText());
        ObjectNode status = review.putObject("status").put("allowed", allowed);
        if (allowed) {
            status.put("reason", "the demo lets " + spec.path("user").asText() + " "
                    + attributes.path("verb").asText() + " ManagedUpgrades in " + namespace);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static MockResponse json(int code, ObjectNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }
}
