package dev.slipway.http.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;

/**
 * The status API is read-only: every method but GET (and HEAD, a GET without body) is refused with 405 before any
 * resource is matched, so no path under /api, known or not, accepts a write.
 */
@Provider
@PreMatching
public class ReadOnlyApiFilter implements ContainerRequestFilter {

    private static final Set<String> READ_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD);

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().startsWith("/api/") && !READ_METHODS.contains(request.getMethod())) {
            request.abortWith(Response.status(Response.Status.METHOD_NOT_ALLOWED)
                    .header(HttpHeaders.ALLOW, "GET, HEAD").type(MediaType.APPLICATION_JSON)
                    .entity(ApiError.of("MethodNotAllowed", "the status API is read-only; " + request.getMethod()
                            + " is refused (change a ManagedUpgrade with kubectl or the CLI)"))
                    .build());
        }
    }
}
