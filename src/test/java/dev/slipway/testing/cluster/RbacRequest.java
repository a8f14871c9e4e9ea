package dev.slipway.testing.cluster;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The authorization attributes of one HTTP request, derived as kube-apiserver's RequestInfoFactory does
 * (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): POST is create, GET/HEAD get, PUT update, PATCH patch,
 * DELETE delete; a GET without a name is list, or watch with {@code watch=true} (any value but false/0); a DELETE
 * without a name is deletecollection; {@code /namespaces/{ns}/{resource}/{name}/{subresource}} gives the namespace,
 * name and subresource (status, scale, finalizers...); an exact {@code fieldSelector=metadata.name=x} names the object
 * of a list or watch. Paths outside {@code /api} and {@code /apis} are non-resource requests (verb: the lowercase
 * HTTP method).
 *
 * @param subresource empty when the request is for the object (or collection) itself
 * @param namespace empty for cluster-scoped requests
 * @param name empty for collections
 */
public record RbacRequest(boolean resourceRequest, String verb, String apiGroup, String namespace, String resource,
        String subresource, String name, String path) {

    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    public static RbacRequest of(String method, String pathAndQuery) {
        int queryStart = pathAndQuery.indexOf('?');
        String path = queryStart < 0 ? pathAndQuery : pathAndQuery.substring(0, queryStart);
        String query = queryStart < 0 ? "" : pathAndQuery.substring(queryStart + 1);
        List<String> parts = new ArrayList<>(Arrays.stream(path.split("/")).filter(part -> !part.isEmpty()).toList());
        RbacRequest nonResource = new RbacRequest(false, method.toLowerCase(), "", "", "", "", "", path);
        if (parts.size() < 3 || !parts.get(0).equals("api") && !parts.get(0).equals("apis")) {
            return nonResource;
        }
        String apiGroup = "";
        if (parts.get(0).equals("apis")) {
            if (parts.size() < 4) {
                return nonResource;
            }
            apiGroup = parts.get(1);
            parts = parts.subList(3, parts.size());
        } else {
            parts = parts.subList(2, parts.size());
        }
        String verb = switch (method.toUpperCase()) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
        };
        if (parts.get(0).equals("watch") && parts.size() > 1) {
            verb = "watch";
            parts = parts.subList(1, parts.size());
        }
        String namespace = "";
        if (parts.get(0).equals("namespaces") && parts.size() > 1) {
            namespace = parts.get(1);
            if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
                parts = parts.subList(2, parts.size());
            }
        }
        String resource = parts.get(0);
        String name = parts.size() >= 2 ? parts.get(1) : "";
        String subresource = parts.size() >= 3 ? parts.get(2) : "";
        if (name.isEmpty() && verb.equals("get")) {
            String watch = parameter(query, "watch");
            verb = watch == null || watch.equalsIgnoreCase("false") || watch.equals("0") ? "list" : "watch";
            name = exactName(parameter(query, "fieldSelector"));
        }
        if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        return new RbacRequest(true, verb, apiGroup, namespace, resource, subresource, name, path);
    }

    /** {@code deployments/scale} for a subresource, {@code deployments} otherwise: what RBAC rules name. */
    public String combinedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    private static String parameter(String query, String key) {
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (URLDecoder.decode(name, StandardCharsets.UTF_8).equals(key)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The name an exact {@code metadata.name=x} (or {@code ==}) term of a field selector requires, else empty. */
    private static String exactName(String fieldSelector) {
        if (fieldSelector == null) {
            return "";
        }
        for (String term : fieldSelector.split(",")) {
            String[] sides = term.split("==?", 2);
            if (sides.length == 2 && sides[0].equals("metadata.name")) {
                return sides[1];
            }
        }
        return "";
    }
}
