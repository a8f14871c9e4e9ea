package dev.slipway.http.api;

import dev.slipway.kubernetes.access.KubernetesUser;
import java.util.Optional;
import java.util.function.Function;

/**
 * One way a status API (or console) request can say who makes it. {@link ApiCallers} asks every such bean in
 * {@link #order()}, and the first that names a user wins: bearer token (100), trusted proxy headers (200); the
 * console's session can be added as another bean (e.g. 300) without touching the others.
 */
public interface CallerAuthenticator {

    /** What an authenticator may look at: header and cookie values by name (null when absent), and the TCP peer. */
    record CallerRequest(Function<String, String> header, Function<String, String> cookie, String peerAddress) {
    }

    /** Lower first. */
    int order();

    /** Whether the request carries this kind of credential at all (a failed one counts as a failed sign-in). */
    boolean presentIn(CallerRequest request);

    /** The user the credential belongs to; empty when it is not accepted. */
    Optional<KubernetesUser> authenticate(CallerRequest request);
}
