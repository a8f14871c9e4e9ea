package dev.slipway.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/**
 * A request about a ManagedUpgrade that did not go through, as one line naming the verb, the resource and the
 * reason: the API server's refusal (403 with its RBAC message, 404, 409, 401: exit {@value #EXIT_REFUSED}) or no
 * answer at all (exit {@link CliOutput#EXIT_USAGE}, as the other commands' connection errors).
 */
final class ClusterRefusal extends RuntimeException {

    /** The API server, or the resource's state, refused the action. */
    static final int EXIT_REFUSED = 1;

    private final String code;
    private final int exitCode;

    private ClusterRefusal(String code, String message, int exitCode) {
        super(message);
        this.code = code;
        this.exitCode = exitCode;
    }

    String code() {
        return code;
    }

    int exitCode() {
        return exitCode;
    }

    /** The resource's state does not allow the action; the message says what would. */
    static ClusterRefusal byState(String code, String message) {
        return new ClusterRefusal(code, message, EXIT_REFUSED);
    }

    /** {@code get} answered 404 (fabric8 returns null for it rather than throwing). */
    static ClusterRefusal notFound(String verb, String namespace, String name) {
        return new ClusterRefusal("NotFound", verb + " of ManagedUpgrade " + namespace + "/" + name
                + " refused (404 NotFound): there is no ManagedUpgrade " + name + " in namespace " + namespace,
                EXIT_REFUSED);
    }

    static ClusterRefusal of(KubernetesClientException e, String verb, String what, String apiServer) {
        int status = e.getCode();
        if (status <= 0) {
            return new ClusterRefusal("Unreachable", "cannot reach the Kubernetes API at " + apiServer + " to " + verb
                    + " " + what + ": " + CliOutput.describe(e.getCause() == null ? e : e.getCause()),
                    CliOutput.EXIT_USAGE);
        }
        String serverMessage = e.getStatus() == null || e.getStatus().getMessage() == null
                || e.getStatus().getMessage().isBlank() ? null : e.getStatus().getMessage();
        String reason = switch (status) {
            case HttpURLConnection.HTTP_UNAUTHORIZED -> "Unauthorized";
            case HttpURLConnection.HTTP_FORBIDDEN -> "Forbidden";
            case HttpURLConnection.HTTP_NOT_FOUND -> "NotFound";
            case HttpURLConnection.HTTP_CONFLICT -> "Conflict";
            default -> e.getStatus() != null && e.getStatus().getReason() != null ? e.getStatus().getReason()
                    : "Error";
        };
        String explanation = switch (status) {
            case HttpURLConnection.HTTP_UNAUTHORIZED -> "the API server did not accept the kubeconfig's credentials"
                    + (serverMessage == null ? "" : " (" + serverMessage + ")");
            case HttpURLConnection.HTTP_CONFLICT -> "it changed after it was read (the operator writes its status as"
                    + " the upgrade moves on); nothing was changed, run the command again";
            default -> serverMessage == null ? "no message" : serverMessage;
        };
        return new ClusterRefusal(reason, verb + " of " + what + " refused (" + status + " " + reason + "): "
                + explanation, EXIT_REFUSED);
    }
}
