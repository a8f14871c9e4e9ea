package dev.slipway.testing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.demo.cluster.ApiServerDefaults;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * kube-apiserver's write path in front of the fabric8 CRUD dispatcher: every create, update and patch passes the
 * admission chain in the apiserver's order (https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/:
 * mutating admission, then defaulting and validation of the result, then validating admission) before it is stored:
 * <ol>
 * <li>a pending one-shot {@link AdmissionDenial} for the object answers instead (403 or 422);</li>
 * <li>a patch is applied to the stored object first (JSON patch or merge patch, the two the CRUD server supports), so
 * what follows sees the object as it would be stored, and is then stored as an update;</li>
 * <li>names and labels are validated ({@link ObjectValidation}), 422 Invalid with the apiserver's wording;</li>
 * <li>Deployments, StatefulSets, Pods and Services get the apiserver's defaults ({@link ApiServerDefaults});</li>
 * <li>Pod template images of Deployments and StatefulSets go through the {@link ImageRewrite} (a mutating webhook).</li>
 * </ol>
 * Reads, deletes and watches pass straight through; status writes pass except for denials. Writes are serialized, so
 * a patch is applied to the version it replaces.
 */
public final class AdmissionDispatcher extends ForwardingDispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization MODEL = new KubernetesSerialization();

    private final List<AdmissionDenial> pendingDenials = new CopyOnWriteArrayList<>();
    private volatile ImageRewrite imageRewrite = ImageRewrite.NONE;

    public AdmissionDispatcher(Dispatcher delegate) {
        super(delegate);
    }

    /** Refuses the next create, update or patch of the object named in {@code denial}, once. */
    public AdmissionDispatcher denyOnce(AdmissionDenial denial) {
        pendingDenials.add(denial);
        return this;
    }

    /** Denials not yet used up. */
    public List<AdmissionDenial> pendingDenials() {
        return List.copyOf(pendingDenials);
    }

    /** From now on, rewrites the images of Deployment and StatefulSet Pod templates on every write. */
    public AdmissionDispatcher rewriteImages(ImageRewrite rewrite) {
        this.imageRewrite = rewrite;
        return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        HttpMethod method = request.method();
        ApiPath path = ApiPath.parse(request.getPath());
        if (path == null || method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
            return delegate.dispatch(request);
        }
        synchronized (this) {
            return admit(request, method, path);
        }
    }

    private MockResponse admit(RecordedRequest request, HttpMethod method, ApiPath path) {
        if (path.subresource() != null) {
            return pendingDenials.isEmpty() ? delegate.dispatch(request)
                    : stored(request, path).map(current -> denial(current, path).orElseGet(() -> delegate.dispatch(request)))
                            .orElseGet(() -> delegate.dispatch(request));
        }
        ObjectNode object;
        if (method == HttpMethod.PATCH) {
            Optional<ObjectNode> current = stored(request, path);
            Optional<ObjectNode> patched = current.flatMap(stored -> patch(stored, request));
            if (patched.isEmpty()) {
                // not found, or a patch type the CRUD server refuses anyway: let it answer
                return delegate.dispatch(request);
            }
            object = patched.get();
        } else {
            try {
                object = (ObjectNode) JSON.readTree(request.getUtf8Body());
            } catch (Exception e) {
                return delegate.dispatch(request);
            }
        }
        Optional<MockResponse> denied = denial(object, path);
        if (denied.isPresent()) {
            return denied.get();
        }
        String kind = object.path("kind").asText();
        List<ObjectValidation.FieldError> errors = ObjectValidation.validate(kind, object);
        if (!errors.isEmpty()) {
            return invalid(kind, path, object.path("metadata").path("name").asText(), errors);
        }
        String body = mutate(kind, object);
        if (method == HttpMethod.PATCH) {
            return delegate.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, path.objectPath(),
                    withJsonContentType(request.getHeaders()), buffer(body)));
        }
        return delegate.dispatch(new RecordedRequest(request.getHttpVersion(), method, request.getPath(),
                request.getHeaders(), buffer(body)));
    }

    private Optional<MockResponse> denial(JsonNode object, ApiPath path) {
        String kind = object.path("kind").asText();
        String name = path.name() != null ? path.name() : object.path("metadata").path("name").asText();
        for (AdmissionDenial denial : pendingDenials) {
            if (denial.matches(kind, path.namespace(), name) && pendingDenials.remove(denial)) {
                return Optional.of(switch (denial.type()) {
                    case WEBHOOK -> status(403, null, denial.detail(), path, kind, name, List.of());
                    case QUOTA -> status(403, "Forbidden", path.groupResource() + " \"" + name + "\" is forbidden: "
                            + denial.detail(), path, kind, name, List.of());
                    case INVALID -> invalid(kind, path, name,
                            List.of(new ObjectValidation.FieldError(denial.field(), "", denial.detail())));
                });
            }
        }
        return Optional.empty();
    }

    /** apimachinery errors.NewInvalid: {@code Deployment.apps "web" is invalid: <field>: Invalid value: ...}. */
    private MockResponse invalid(String kind, ApiPath path, String name, List<ObjectValidation.FieldError> errors) {
        String qualifiedKind = path.prefix().startsWith("/apis/") ? kind + "." + path.prefix().split("/")[2] : kind;
        String all = errors.size() == 1 ? errors.get(0).toString()
                : errors.stream().map(Object::toString).toList().toString();
        return status(422, "Invalid", qualifiedKind + " \"" + name + "\" is invalid: " + all, path, kind, name, errors);
    }

    private static MockResponse status(int code, String reason, String message, ApiPath path, String kind, String name,
            List<ObjectValidation.FieldError> causes) {
        ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", message);
        if (reason != null) {
            status.put("reason", reason);
        }
        ObjectNode details = status.putObject("details").put("name", name).put("kind", kind);
        if (path.prefix().startsWith("/apis/")) {
            details.put("group", path.prefix().split("/")[2]);
        }
        if (!causes.isEmpty()) {
            ArrayNode list = details.putArray("causes");
            causes.forEach(cause -> list.addObject().put("reason", "FieldValueInvalid").put("message", cause.message())
                    .put("field", cause.field()));
        }
        status.put("code", code);
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(status.toString());
    }

    /** Defaults (and image rewriting) through the typed model, so the rules are the ones the controllers read. */
    private String mutate(String kind, ObjectNode object) {
        String json = object.toString();
        return switch (kind) {
            case "Deployment" -> {
                Deployment deployment = ApiServerDefaults.apply(MODEL.unmarshal(json, Deployment.class));
                rewrite(deployment.getSpec() == null ? null : deployment.getSpec().getTemplate().getSpec());
                yield MODEL.asJson(deployment);
            }
            case "StatefulSet" -> {
                StatefulSet set = ApiServerDefaults.apply(MODEL.unmarshal(json, StatefulSet.class));
                rewrite(set.getSpec() == null ? null : set.getSpec().getTemplate().getSpec());
                yield MODEL.asJson(set);
            }
            case "Pod" -> {
                Pod pod = MODEL.unmarshal(json, Pod.class);
                if (pod.getSpec() != null) {
                    ApiServerDefaults.apply(pod.getSpec());
                }
                yield MODEL.asJson(pod);
            }
            case "Service" -> MODEL.asJson(ApiServerDefaults.apply(MODEL.unmarshal(json, Service.class)));
            default -> json;
        };
    }

    private void rewrite(PodSpec spec) {
        if (spec == null) {
            return;
        }
        ImageRewrite rewrite = imageRewrite;
        Stream.of(spec.getContainers(), spec.getInitContainers()).filter(list -> list != null).flatMap(List::stream)
                .filter(container -> container.getImage() != null)
                .forEach((Container container) -> container.setImage(rewrite.apply(container.getImage())));
    }

    private Optional<ObjectNode> stored(RecordedRequest request, ApiPath path) {
        MockResponse response = delegate.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.GET,
                path.objectPath(), request.getHeaders(), new Buffer()));
        if (response.code() != 200) {
            return Optional.empty();
        }
        try {
            return Optional.of((ObjectNode) JSON.readTree(response.getBody().readUtf8()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Applies a JSON patch (RFC 6902) or merge patch (RFC 7386); empty for other patch types. */
    private static Optional<ObjectNode> patch(ObjectNode current, RecordedRequest request) {
        String contentType = Optional.ofNullable(request.getHeader("Content-Type")).orElse("application/json-patch+json");
        try {
            JsonNode patch = JSON.readTree(request.getUtf8Body());
            if (contentType.startsWith("application/json-patch+json")) {
                return Optional.of((ObjectNode) JsonPatch.apply(patch, current));
            }
            if (contentType.startsWith("application/merge-patch+json")) {
                return Optional.of((ObjectNode) mergePatch(current.deepCopy(), patch));
            }
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** {@code target} with a JSON merge patch applied as kube-apiserver does (RFC 7386: null removes a key). */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    private static Headers withJsonContentType(Headers headers) {
        return headers.newBuilder().removeAll("Content-Type").removeAll("Content-Length")
                .add("Content-Type", "application/json").build();
    }

    private static Buffer buffer(String body) {
        return new Buffer().write(body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void reset() {
        pendingDenials.clear();
        imageRewrite = ImageRewrite.NONE;
        super.reset();
    }
}
