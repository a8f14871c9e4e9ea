package dev.slipway.http.api;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /api/} request must say who makes it ({@link ApiCallers}): without a credential 401 with
 * {@code WWW-Authenticate: Bearer}; with a refused one 401 too, and the client address spends one of its failed
 * sign-ins ({@link FailedSignInLimiter}: 429 with Retry-After once they are used up). What the caller may see is
 * decided per resource by the resources themselves (SubjectAccessReview).
 */
public class ApiAuthenticationFilter {

    private final ApiCallers callers;
    private final FailedSignInLimiter limiter;
    private final CurrentCaller current;

    public ApiAuthenticationFilter(ApiCallers callers, FailedSignInLimiter limiter, CurrentCaller current) {
        this.callers = callers;
        this.limiter = limiter;
        this.current = current;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(ContainerRequestContext request, HttpServerRequest http) {
        if (!request.getUriInfo().getPath().startsWith("/api/")) {
            return null;
        }
        String peer = http.remoteAddress() == null ? "" : http.remoteAddress().hostAddress();
        Duration wait = limiter.waitBefore(peer);
        if (!wait.isZero()) {
            return Response.status(429).header("Retry-After", Math.max(1, wait.toSeconds() + 1))
                    .type(MediaType.APPLICATION_JSON).entity(ApiError.of("TooManyFailedSignIns",
                            "too many refused credentials from this address; try again later"))
                    .build();
        }
        ApiCallers.Outcome outcome = callers.resolve(new CallerAuthenticator.CallerRequest(request::getHeaderString,
                name -> {
                    Cookie cookie = http.getCookie(name);
                    return cookie == null ? null : cookie.getValue();
                }, peer));
        if (outcome instanceof ApiCallers.Outcome.Signed signed) {
            current.set(signed.user());
            return null;
        }
        if (outcome instanceof ApiCallers.Outcome.Refused) {
            limiter.failed(peer);
        }
        return Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON).entity(ApiError.of("Unauthorized",
                        "present a Kubernetes bearer token (Authorization: Bearer <token>) the cluster accepts"))
                .build();
    }
}
