package dev.slipway.testing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;

/**
 * kube-apiserver's review APIs in front of the CRUD server:
 * <ul>
 * <li>{@code POST /apis/authentication.k8s.io/v1/tokenreviews} knows the tokens a test {@link #register}s (with the
 * group {@code system:authenticated} every authenticated user gets); any other token is answered
 * {@code authenticated: false}, as the API server answers a token no authenticator accepts;</li>
 * <li>{@code POST /apis/authorization.k8s.io/v1/subjectaccessreviews} is decided by the RBAC authorizer's rules over
 * the Roles, ClusterRoles, RoleBindings and ClusterRoleBindings stored in the CRUD server at the moment of the
 * request, so deleting a binding revokes at once
 * (https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/auth/authorizer/rbac/rbac.go, and
 * pkg/apis/rbac/v1/evaluation_helpers.go for the matching: {@code *} in verbs, apiGroups and resources;
 * {@code resource/subresource}; resourceNames; subjects User, Group and ServiceAccount
 * {@code system:serviceaccount:<ns>:<name>}). ClusterRole aggregation is not evaluated (the chart's roles list their
 * rules), nor are non-resource requests (denied).</li>
 * </ul>
 * While {@link #failReviews} is set both answer 500, as an API server in trouble does.
 */
public final class AccessReviewDispatcher extends ForwardingDispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";
    static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final String SUBJECT_ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    /** The user and groups the API server would attribute a token to. */
    public record TokenOwner(String user, List<String> groups) {
    }

    private final Map<String, TokenOwner> tokens = new ConcurrentHashMap<>();
    private volatile boolean failing;

    public AccessReviewDispatcher(Dispatcher delegate) {
        super(delegate);
    }

    /**
     * Puts the review APIs in front of the CRUD store of {@code server}, beneath an installed
     * {@link RbacDispatcher} (which checks that the operator may create reviews); returns the one already there.
     */
    public static AccessReviewDispatcher install(KubernetesMockServer server) {
        Dispatcher current = MockServerDispatcher.current(server);
        Dispatcher store = current instanceof RbacDispatcher rbac ? rbac.delegate : current;
        if (store instanceof AccessReviewDispatcher installed) {
            return installed;
        }
        AccessReviewDispatcher reviews = new AccessReviewDispatcher(store);
        MockServerDispatcher.replace(server, reviews);
        return reviews;
    }

    /** From now on the API server accepts {@code token} as {@code user} in {@code groups}. */
    public AccessReviewDispatcher register(String token, String user, String... groups) {
        List<String> all = new ArrayList<>(List.of(groups));
        all.add("system:authenticated");
        tokens.put(token, new TokenOwner(user, List.copyOf(all)));
        return this;
    }

    /** A ServiceAccount's token, with the groups the API server gives ServiceAccounts. */
    public AccessReviewDispatcher registerServiceAccount(String token, String namespace, String name) {
        return register(token, "system:serviceaccount:" + namespace + ":" + name, "system:serviceaccounts",
                "system:serviceaccounts:" + namespace);
    }

    /** While true, every review is answered 500 Internal Server Error. */
    public AccessReviewDispatcher failReviews(boolean failing) {
        this.failing = failing;
        return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath().contains("?") ? request.getPath().substring(0, request.getPath().indexOf('?'))
                : request.getPath();
        boolean review = request.method() == HttpMethod.POST
                && (path.equals(TOKEN_REVIEWS) || path.equals(SUBJECT_ACCESS_REVIEWS));
        if (!review) {
            return delegate.dispatch(request);
        }
        if (failing) {
            return json(500, JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                    .put("status", "Failure").put("message", "etcdserver: request timed out")
                    .put("reason", "InternalError").put("code", 500));
        }
        ObjectNode body;
        try {
            body = (ObjectNode) JSON.readTree(request.getUtf8Body());
        } catch (Exception e) {
            return json(400, JSON.createObjectNode().put("kind", "Status").put("status", "Failure")
                    .put("reason", "BadRequest").put("code", 400));
        }
        return json(201, path.equals(TOKEN_REVIEWS) ? tokenReview(body) : subjectAccessReview(request, body));
    }

    private ObjectNode tokenReview(ObjectNode review) {
        TokenOwner owner = tokens.get(review.path("spec").path("token").asText(""));
        ObjectNode status = review.putObject("status");
        if (owner == null) {
            status.put("authenticated", false).put("error", "[invalid bearer token]");
        } else {
            ObjectNode user = status.put("authenticated", true).putObject("user").put("username", owner.user());
            owner.groups().forEach(user.putArray("groups")::add);
        }
        return review;
    }

    private ObjectNode subjectAccessReview(RecordedRequest request, ObjectNode review) {
        JsonNode spec = review.path("spec");
        String user = spec.path("user").asText("");
        List<String> groups = StreamSupport.stream(spec.path("groups").spliterator(), false).map(JsonNode::asText)
                .toList();
        JsonNode attributes = spec.path("resourceAttributes");
        boolean allowed = !attributes.isMissingNode() && allowed(request, user, groups, attributes);
        ObjectNode status = review.putObject("status").put("allowed", allowed);
        if (allowed) {
            status.put("reason", "RBAC: allowed by a binding of " + user);
        }
        return review;
    }

    /** rbac.go Authorize: any rule of any role bound to the subject, cluster-wide or in the request's namespace. */
    private boolean allowed(RecordedRequest request, String user, List<String> groups, JsonNode attributes) {
        String namespace = attributes.path("namespace").asText("");
        for (JsonNode binding : items(request, RBAC + "/clusterrolebindings")) {
            if (appliesTo(binding, user, groups, "") && roleAllows(request, binding, "", attributes)) {
                return true;
            }
        }
        if (namespace.isEmpty()) {
            return false;
        }
        for (JsonNode binding : items(request, RBAC + "/namespaces/" + namespace + "/rolebindings")) {
            if (appliesTo(binding, user, groups, namespace) && roleAllows(request, binding, namespace, attributes)) {
                return true;
            }
        }
        return false;
    }

    /** rbac.go appliesToUser. */
    private static boolean appliesTo(JsonNode binding, String user, List<String> groups, String bindingNamespace) {
        for (JsonNode subject : binding.path("subjects")) {
            String name = subject.path("name").asText();
            boolean applies = switch (subject.path("kind").asText()) {
                case "User" -> user.equals(name);
                case "Group" -> groups.contains(name);
                case "ServiceAccount" -> user.equals("system:serviceaccount:"
                        + subject.path("namespace").asText(bindingNamespace) + ":" + name);
                default -> false;
            };
            if (applies) {
                return true;
            }
        }
        return false;
    }

    private boolean roleAllows(RecordedRequest request, JsonNode binding, String namespace, JsonNode attributes) {
        JsonNode ref = binding.path("roleRef");
        String path = ref.path("kind").asText().equals("ClusterRole")
                ? RBAC + "/clusterroles/" + ref.path("name").asText()
                : RBAC + "/namespaces/" + namespace + "/roles/" + ref.path("name").asText();
        JsonNode role = get(request, path);
        for (JsonNode rule : role.path("rules")) {
            if (ruleAllows(rule, attributes)) {
                return true;
            }
        }
        return false;
    }

    /** evaluation_helpers.go RuleAllows: verb, API group, resource (with subresource) and resource name all match. */
    private static boolean ruleAllows(JsonNode rule, JsonNode attributes) {
        String resource = attributes.path("resource").asText("");
        String subresource = attributes.path("subresource").asText("");
        String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
        String name = attributes.path("name").asText("");
        return matches(rule.path("verbs"), attributes.path("verb").asText(""))
                && matches(rule.path("apiGroups"), attributes.path("group").asText(""))
                && resourceMatches(rule.path("resources"), combined, subresource)
                && (rule.path("resourceNames").isEmpty() || contains(rule.path("resourceNames"), name));
    }

    private static boolean matches(JsonNode values, String wanted) {
        return contains(values, "*") || contains(values, wanted);
    }

    /** ResourceMatches: {@code *}, the exact (combined) resource, or {@code * /subresource}. */
    private static boolean resourceMatches(JsonNode resources, String combined, String subresource) {
        return contains(resources, "*") || contains(resources, combined)
                || !subresource.isEmpty() && contains(resources, "*/" + subresource);
    }

    private static boolean contains(JsonNode values, String wanted) {
        for (JsonNode value : values) {
            if (value.asText().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private Iterable<JsonNode> items(RecordedRequest request, String path) {
        return get(request, path).path("items");
    }

    private JsonNode get(RecordedRequest request, String path) {
        MockResponse response = delegate.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.GET, path,
                request.getHeaders(), new Buffer()));
        if (response.code() != 200) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(response.getBody().readUtf8());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static MockResponse json(int code, ObjectNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    @Override
    public void reset() {
        tokens.clear();
        failing = false;
        super.reset();
    }
}
