package dev.slipway.kubernetes;

import dev.slipway.kubernetes.observability.StatusMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the operator where a role asks for it (the {@code operator} subcommand, operator tests) and stops it with
 * the application. QOSDK stops only an operator it started itself (start-operator=false here, so CLI subcommands never
 * contact Kubernetes); without this a stopped pod would keep its Lease until it expires, and a test application's
 * operator would outlive the application.
 */
@ApplicationScoped
public class OperatorLifecycle {

    /** How long the API server may take to answer at all before the operator gives up starting. */
    static final Duration REACHABILITY_TIMEOUT = Duration.ofSeconds(5);

    /** No API server answered: the operator cannot work, and retrying for minutes would only hide that. */
    public static final class ApiServerUnreachable extends RuntimeException {
        ApiServerUnreachable(String message) {
            super(message);
        }
    }

    private final Operator operator;
    private final StatusMetrics statusMetrics;
    private final KubernetesClient client;

    public OperatorLifecycle(Operator operator, StatusMetrics statusMetrics, KubernetesClient client) {
        this.operator = operator;
        this.statusMetrics = statusMetrics;
        this.client = client;
    }

    /**
     * Starts the controllers (returns once their informers have synced) and the status metrics.
     *
     * @throws ApiServerUnreachable when no API server answers within {@link #REACHABILITY_TIMEOUT}
     */
    public void start() {
        requireReachableApiServer();
        operator.start();
        statusMetrics.start();
    }

    /**
     * One request to {@code /version}, without the client's retries: any HTTP answer (even 401 or 403) means an API
     * server is there; a refused or silent connection means there is none, which the informers would otherwise retry
     * for a long time while logging stack traces.
     */
    private void requireReachableApiServer() {
        String master = client.getMasterUrl().toString();
        // derived from the client's own (same TLS, credentials and connections), so it is not closed here
        HttpClient http = client.getHttpClient().newBuilder()
                .tag(new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                        .withRequestRetryBackoffLimit(0).build())
                .build();
        try {
            HttpRequest request = http.newHttpRequestBuilder().uri(master.replaceAll("/*$", "") + "/version")
                    .timeout(REACHABILITY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).build();
            http.sendAsync(request, String.class).get(REACHABILITY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unreachable(master, e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(master, new TimeoutException("no answer within " + REACHABILITY_TIMEOUT.toSeconds()
                    + "s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(master, e);
        }
    }

    private static ApiServerUnreachable unreachable(String master, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return new ApiServerUnreachable("cannot reach the Kubernetes API at " + master + " (" + reason + "); point "
                + "KUBECONFIG or quarkus.kubernetes-client.api-server-url at a running cluster, or run the operator "
                + "in one");
    }

    /** Only if this bean exists, i.e. only in a role that started the operator. */
    void stop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        if (operator.getRuntimeInfo().isStarted()) {
            operator.stop();
        }
    }
}
