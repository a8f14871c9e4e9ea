package dev.slipway.cli;

import dev.slipway.testing.Crds;
import dev.slipway.testing.cluster.Grants;
import dev.slipway.testing.cluster.AdmissionDispatcher;
import dev.slipway.testing.cluster.RbacDispatcher;
import dev.slipway.testing.cluster.RbacRequest;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The fabric8 CRUD API server with the ManagedUpgrade CRD, in front of which kube-apiserver's authentication and
 * authorization are emulated for people rather than the operator: each request must carry the bearer token of a
 * known {@link User} (else 401), who is authorized with their own RBAC rules ({@link Grants}, decided on the request's
 * attributes as {@link RbacRequest} derives them; else the API server's 403, {@link RbacDispatcher#forbidden}).
 * SelfSubjectReview (authentication.k8s.io/v1) answers with the token's user, as every authenticated user may ask,
 * unless switched off as on a server before Kubernetes 1.28. Every request is recorded as {@code user METHOD path}.
 */
final class UserApiServer implements AutoCloseable {

    private static final String SELF_SUBJECT_REVIEWS = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

    /** A person with a token; {@code rules} null: allowed everything (the test's own fixtures, as cluster-admin). */
    record User(String name, String token, List<PolicyRule> rules) {

        static User withRules(String name, PolicyRule... rules) {
            return new User(name, name + "-token", List.of(rules));
        }

        boolean allows(RbacRequest request) {
            return rules == null || !request.resourceRequest() || new Grants(rules).allowsOn(request.apiGroup(),
                    request.combinedResource(), request.verb(), request.name());
        }
    }

    /** Rules on ManagedUpgrades, as a Role would grant them. */
    static PolicyRule managedUpgrades(String... verbs) {
        return new PolicyRuleBuilder().withApiGroups("slipway.dev").withResources("managedupgrades").withVerbs(verbs)
                .build();
    }

    private static final User FIXTURES = new User("cluster-admin", "cluster-admin-token", null);

    private final KubernetesMockServer server;
    private final KubernetesClient fixtures;
    private final Map<String, User> users = new HashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean selfSubjectReviewServed = true;
    private volatile String statusBeforeNextPatch;

    UserApiServer(User... people) {
        users.put(FIXTURES.token(), FIXTURES);
        for (User user : people) {
            users.put(user.token(), user);
        }
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                // AdmissionDispatcher: merge patches as kube-apiserver applies them (RFC 7386: null removes a key)
                new Authenticating(new AdmissionDispatcher(new KubernetesMixedDispatcher(expectations))), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        fixtures = new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.createClient().getConfiguration())
                .withOauthToken(FIXTURES.token()).build()).build();
        Crds.applyManagedUpgrade(fixtures);
        fixtures.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
                .create();
    }

    /** The test's own client: creates and inspects resources unchecked, and is not recorded. */
    KubernetesClient fixtures() {
        return fixtures;
    }

    String url() {
        return server.url("/").replaceAll("/+$", "");
    }

    /**
     * A kubeconfig with one context per user ({@code <name>@test}, namespace shop), whose current context is
     * {@code current}'s.
     */
    Path kubeconfig(Path directory, User current) throws IOException {
        String usersYaml = users.values().stream().filter(user -> user != FIXTURES)
                .map(user -> "  - name: " + user.name() + "\n    user: {token: " + user.token() + "}")
                .collect(Collectors.joining("\n"));
        String contexts = users.values().stream().filter(user -> user != FIXTURES)
                .map(user -> "  - name: " + user.name() + "@test\n    context: {cluster: test, user: " + user.name()
                        + ", namespace: shop}")
                .collect(Collectors.joining("\n"));
        return Files.writeString(directory.resolve("kubeconfig-" + current.name()), """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: test
                    cluster: {server: "%s"}
                users:
                %s
                contexts:
                %s
                current-context: %s@test
                """.formatted(url(), usersYaml, contexts, current.name()));
    }

    /** The requests people made, as {@code user METHOD path}, oldest first. */
    List<String> requests() {
        return new ArrayList<>(requests);
    }

    /** Answers SelfSubjectReview with 404, as an API server before Kubernetes 1.28 does. */
    void withoutSelfSubjectReview() {
        selfSubjectReviewServed = false;
    }

    /**
     * Just before the next PATCH of an object reaches the store, merges {@code statusJson} into that object's status,
     * as the operator's status write between a person's read and their patch would.
     */
    void statusWriteBeforeNextPatch(String statusJson) {
        statusBeforeNextPatch = statusJson;
    }

    @Override
    public void close() {
        fixtures.close();
        server.destroy();
    }

    private final class Authenticating extends Dispatcher {

        private final Dispatcher store;

        Authenticating(Dispatcher store) {
            this.store = store;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String authorization = request.getHeader("Authorization");
            User user = authorization == null || !authorization.startsWith("Bearer ") ? null
                    : users.get(authorization.substring("Bearer ".length()));
            if (user == null) {
                return status(401, "Unauthorized", "Unauthorized");
            }
            if (user != FIXTURES) {
                requests.add(user.name() + " " + request.getMethod() + " " + request.getPath());
            }
            if (request.getPath().startsWith(SELF_SUBJECT_REVIEWS) && "POST".equals(request.getMethod())) {
                return selfSubjectReviewServed ? new MockResponse().setResponseCode(201)
                        .setHeader("Content-Type", "application/json")
                        .setBody("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\","
                                + "\"metadata\":{},\"status\":{\"userInfo\":{\"username\":\"" + user.name()
                                + "\",\"groups\":[\"system:authenticated\"]}}}")
                        : status(404, "NotFound", "the server could not find the requested resource");
            }
            RbacRequest attributes = RbacRequest.of(request.getMethod(), request.getPath());
            if (!user.allows(attributes)) {
                return RbacDispatcher.forbidden(attributes, RbacDispatcher.forbiddenMessage(attributes, user.name()));
            }
            String status = statusBeforeNextPatch;
            if (status != null && "PATCH".equals(request.getMethod())) {
                statusBeforeNextPatch = null;
                // straight to the store: a request through the server from inside its dispatcher could wait on itself
                store.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.PATCH,
                        request.getPath().replaceAll("\\?.*", "") + "/status", request.getHeaders(),
                        new Buffer().write(("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8))));
            }
            return store.dispatch(request);
        }

        @Override
        public void shutdown() {
            store.shutdown();
        }

        private static MockResponse status(int code, String reason, String message) {
            return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                            + "\"message\":\"" + message + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}");
        }
    }
}
