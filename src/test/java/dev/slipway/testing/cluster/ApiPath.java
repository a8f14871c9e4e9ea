package dev.slipway.testing.cluster;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request path of the Kubernetes REST API, taken apart: {@code /api/v1/namespaces/ns/pods/name/status} or
 * {@code /apis/apps/v1/namespaces/ns/deployments/name}; cluster-scoped paths have no namespace.
 */
record ApiPath(String prefix, String namespace, String resource, String name, String subresource) {

    private static final Pattern PATH = Pattern.compile(
            "^(/api/[^/]+|/apis/[^/]+/[^/]+)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+))?(?:/([^/]+))?$");

    /** The parts of {@code path} (query dropped), or null for anything that is not an object or collection path. */
    static ApiPath parse(String path) {
        String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        Matcher matcher = PATH.matcher(withoutQuery);
        if (!matcher.matches()) {
            return null;
        }
        return new ApiPath(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4), matcher.group(5));
    }

    /** The path of the object itself (no subresource, no query). */
    String objectPath() {
        return prefix + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + resource + "/" + name;
    }

    /** {@code deployments.apps} for a group's resource, {@code pods} for the core group, as kube-apiserver names it. */
    String groupResource() {
        return prefix.startsWith("/apis/") ? resource + "." + prefix.split("/")[2] : resource;
    }
}
