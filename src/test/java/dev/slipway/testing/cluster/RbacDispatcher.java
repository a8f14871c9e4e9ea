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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-apiserver's authorization step in front of a fabric8 test API server, for the operator's requests only
 * ({@link OperatorIdentity}): each is mapped to RBAC attributes ({@link RbacRequest}), recorded
 * ({@link RbacRecorder}) and, unless the chart's rules allow it ({@link RbacAuthorizer}), answered with the API
 * server's 403: a Status {@code Failure}/{@code Forbidden} whose message is built as
 * k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go (forbiddenMessage) wrapped by apimachinery's
 * errors.NewForbidden: {@code deployments.apps "web" is forbidden: User "system:serviceaccount:slipway-system:slipway"
 * cannot patch resource "deployments/scale" in API group "apps" in the namespace "shop"}
 * (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb).
 * Creating or updating a Role, or a RoleBinding to a Role, also passes RBAC's escalation check
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping):
 * the operator holds no "escalate" or "bind", so it must itself hold every permission it hands on.
 */
public final class RbacDispatcher extends ForwardingDispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    private final RbacAuthorizer authorizer;
    private final RbacRecorder recorder;

    public RbacDispatcher(Dispatcher delegate, RbacAuthorizer authorizer, RbacRecorder recorder) {
        super(delegate);
        this.authorizer = authorizer;
        this.recorder = recorder;
    }

    /**
     * Puts RBAC in front of the dispatcher {@code server} runs with ({@link MockServerDispatcher}).
     */
    public static RbacDispatcher install(KubernetesMockServer server, RbacAuthorizer authorizer, RbacRecorder recorder) {
        Dispatcher current = MockServerDispatcher.current(server);
        if (current instanceof RbacDispatcher installed) {
            current = installed.delegate;
        }
        RbacDispatcher rbac = new RbacDispatcher(current, authorizer, recorder);
        MockServerDispatcher.replace(server, rbac);
        return rbac;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (!OperatorIdentity.isOperator(request.getHeader("User-Agent"))) {
            return delegate.dispatch(request);
        }
        RbacRequest attributes = RbacRequest.of(request.getMethod(), request.getPath());
        if (!attributes.resourceRequest()) {
            return authorizer.allows(attributes) ? delegate.dispatch(request)
                    : forbidden(attributes, "User \"" + authorizer.user() + "\" cannot " + attributes.verb() + " path \""
                            + attributes.path() + "\"");
        }
        boolean allowed = authorizer.allows(attributes);
        recorder.record(RbacRecorder.Usage.of(attributes.apiGroup(), attributes.combinedResource(), attributes.verb(),
                !attributes.namespace().isEmpty(), false, allowed), request.getMethod() + " " + request.getPath() + ": "
                + forbiddenMessage(attributes, authorizer.user()));
        if (!allowed) {
            return forbidden(attributes, forbiddenMessage(attributes, authorizer.user()));
        }
        if (attributes.apiGroup().equals(RBAC_GROUP) && attributes.subresource().isEmpty()
                && (attributes.verb().equals("create") || attributes.verb().equals("update"))) {
            // reading the body consumes it: the store gets a copy
            String body = request.getUtf8Body();
            List<String> notHeld = escalation(request, attributes, body);
            if (!notHeld.isEmpty()) {
                return forbidden(attributes, "user \"" + authorizer.user() + "\" (groups=" + authorizer.groups()
                        + ") is attempting to grant RBAC permissions not currently held:\n" + String.join("\n", notHeld));
            }
            return delegate.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(),
                    request.getHeaders(), new Buffer().write(body.getBytes(StandardCharsets.UTF_8))));
        }
        return delegate.dispatch(request);
    }

    /** errors.go forbiddenMessage, for a resource request by {@code user}. */
    public static String forbiddenMessage(RbacRequest attributes, String user) {
        return "User \"" + user + "\" cannot " + attributes.verb() + " resource \""
                + attributes.combinedResource() + "\" in API group \"" + attributes.apiGroup() + "\""
                + (attributes.namespace().isEmpty() ? " at the cluster scope"
                        : " in the namespace \"" + attributes.namespace() + "\"");
    }

    /** The rules of the Role in the body (or referenced by the RoleBinding) the operator does not hold itself. */
    private List<String> escalation(RecordedRequest request, RbacRequest attributes, String json) {
        JsonNode rules;
        try {
            JsonNode body = JSON.readTree(json);
            rules = switch (attributes.resource()) {
                case "roles" -> body.path("rules");
                case "rolebindings" -> body.path("roleRef").path("kind").asText().equals("Role")
                        ? storedRole(request, attributes.namespace(), body.path("roleRef").path("name").asText())
                        : JSON.createArrayNode();
                default -> JSON.createArrayNode();
            };
        } catch (Exception e) {
            return List.of(); // an unreadable body is the store's to refuse
        }
        List<String> notHeld = new ArrayList<>();
        for (JsonNode rule : rules) {
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    for (JsonNode verb : rule.path("verbs")) {
                        List<String> names = new ArrayList<>();
                        rule.path("resourceNames").forEach(name -> names.add(name.asText()));
                        if (names.isEmpty()) {
                            names.add("");
                        }
                        for (String name : names) {
                            boolean held = authorizer.allowsIn(attributes.namespace(), group.asText(),
                                    resource.asText(), verb.asText(), name);
                            recorder.record(RbacRecorder.Usage.of(group.asText(), resource.asText(), verb.asText(),
                                    true, true, held), request.getMethod() + " " + request.getPath()
                                    + ": hands on " + verb.asText() + " " + resource.asText() + " without holding it");
                            if (!held) {
                                notHeld.add("{APIGroups:[\"" + group.asText() + "\"], Resources:[\"" + resource.asText()
                                        + "\"]" + (name.isEmpty() ? "" : ", ResourceNames:[\"" + name + "\"]")
                                        + ", Verbs:[\"" + verb.asText() + "\"]}");
                            }
                        }
                    }
                }
            }
        }
        return notHeld;
    }

    private JsonNode storedRole(RecordedRequest request, String namespace, String name) throws Exception {
        MockResponse response = delegate.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.GET,
                "/apis/" + RBAC_GROUP + "/v1/namespaces/" + namespace + "/roles/" + name, request.getHeaders(),
                new Buffer()));
        return response.code() == 200 ? JSON.readTree(response.getBody().readUtf8()).path("rules")
                : JSON.createArrayNode();
    }

    /** apimachinery errors.NewForbidden(groupResource, name, message) as the apiserver serializes it. */
    public static MockResponse forbidden(RbacRequest attributes, String message) {
        String groupResource = attributes.apiGroup().isEmpty() ? attributes.resource()
                : attributes.resource() + "." + attributes.apiGroup();
        ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", !attributes.resourceRequest() ? "forbidden: " + message
                : groupResource + (attributes.name().isEmpty() ? "" : " \"" + attributes.name() + "\"")
                        + " is forbidden: " + message);
        status.put("reason", "Forbidden");
        ObjectNode details = status.putObject("details");
        if (!attributes.name().isEmpty()) {
            details.put("name", attributes.name());
        }
        if (!attributes.apiGroup().isEmpty()) {
            details.put("group", attributes.apiGroup());
        }
        if (!attributes.resource().isEmpty()) {
            details.put("kind", attributes.resource());
        }
        status.put("code", 403);
        return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json")
                .setBody(status.toString());
    }
}
