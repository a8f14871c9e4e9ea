package dev.slipway.http.api;

import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * When the Kubernetes API cannot be read, the status API says so with 503 and the JSON error shape; the details
 * (server address, response body) go to the log, not to the caller.
 */
@Provider
public class ApiServerErrorMapper implements ExceptionMapper<KubernetesClientException> {

    private static final Logger LOG = Logger.getLogger(ApiServerErrorMapper.class);

    @Override
    public Response toResponse(KubernetesClientException e) {
        LOG.warnf("status API: reading ManagedUpgrades failed (HTTP %d): %s", e.getCode(), e.getMessage());
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                .header("Retry-After", "10")
                .entity(ApiError.of("ApiServerUnavailable", "the Kubernetes API did not answer the read of "
                        + "ManagedUpgrades (HTTP " + e.getCode() + "); try again shortly"))
                .build();
    }
}
