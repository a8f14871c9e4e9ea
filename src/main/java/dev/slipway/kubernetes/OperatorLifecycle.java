package dev.slipway.kubernetes;

import dev.slipway.config.LeaderElectionProducer.StoppedLeading;
import dev.slipway.kubernetes.observability.StatusMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Starts the operator where a role asks for it (the {@code operator} subcommand, operator tests) and stops it with
 * the application. QOSDK stops only an operator it started itself (start-operator=false here, so CLI subcommands never
 * contact Kubernetes); without this a test application's operator would outlive the application. Under leader
 * election it also releases the Lease once the controllers have stopped, so a standby takes over at once instead of
 * after the lease duration, and it ends the process when the Lease is lost while running.
 */
@ApplicationScoped
public class OperatorLifecycle {

    /** How long the API server may take to answer at all before the operator gives up starting. */
    static final Duration REACHABILITY_TIMEOUT = Duration.ofSeconds(5);

    /** The exit code after losing the Lease: Kubernetes restarts the pod, which then waits as a standby. */
    static final int LEASE_LOST_EXIT_CODE = 1;

    private static final Logger LOG = Logger.getLogger(OperatorLifecycle.class);

    /** No API server answered: the operator cannot work, and retrying for minutes would only hide that. */
    public static final class ApiServerUnreachable extends RuntimeException {
        ApiServerUnreachable(String message) {
            super(message);
        }
    }

    private final Operator operator;
    private final StatusMetrics statusMetrics;
    private final KubernetesClient client;
    private final CrdVersionCheck crdVersionCheck;
    /** Set before the operator is stopped on purpose, so stopping to lead is then no lost Lease. */
    private volatile boolean stopping;

    public OperatorLifecycle(Operator operator, StatusMetrics statusMetrics, KubernetesClient client,
            CrdVersionCheck crdVersionCheck) {
        this.operator = operator;
        this.statusMetrics = statusMetrics;
        this.client = client;
        this.crdVersionCheck = crdVersionCheck;
    }

    /**
     * Starts the controllers (returns once their informers have synced) and the status metrics, unless the installed
     * CRD is older than this operator's: then it logs why and starts nothing, and readiness stays DOWN.
     *
     * @throws ApiServerUnreachable when no API server answers within {@link #REACHABILITY_TIMEOUT}
     */
    public void start() {
        requireReachableApiServer();
        Optional<String> refusal = crdVersionCheck.check();
        if (refusal.isPresent()) {
            LOG.error(refusal.get());
            return;
        }
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
        stopping = true;
        if (operator.getRuntimeInfo().isStarted()) {
            // returns once running reconciliations have ended (or quarkus.operator-sdk.termination-timeout-seconds
            // passed), so the Lease is released only when this replica has stopped reconciling
            operator.stop();
            operator.getConfigurationService().getLeaderElectionConfiguration().ifPresent(this::releaseLease);
        }
    }

    void stoppedLeading(@Observes(notifyObserver = Reception.IF_EXISTS) StoppedLeading event) {
        if (!stopping) {
            LOG.errorf("Lost the leader Lease while running: exiting with code %d so that this replica restarts as "
                    + "a standby and never reconciles beside the new leader", LEASE_LOST_EXIT_CODE);
            // not System.exit: the shutdown must run on its own thread, not on the elector's that reports the loss
            Quarkus.asyncExit(LEASE_LOST_EXIT_CODE);
        }
    }

    /**
     * Clears the holder of the Lease if this replica still holds it (fabric8's release: empty holder, 1 s duration),
     * so a standby's next attempt takes it. A failure only costs the standby the wait for the lease to expire.
     */
    private void releaseLease(LeaderElectionConfiguration election) {
        String namespace = election.getLeaseNamespace().orElseGet(client::getNamespace);
        LeaseLock lease = new LeaseLock(namespace, election.getLeaseName(), election.getIdentity().orElseThrow());
        LeaderCallbacks none = new LeaderCallbacks(() -> { }, () -> { }, leader -> { });
        try {
            boolean released = new LeaderElectorBuilder(client, Runnable::run)
                    .withConfig(new LeaderElectionConfig(lease, election.getLeaseDuration(), election.getRenewDeadline(),
                            election.getRetryPeriod(), none, true, election.getLeaseName()))
                    .build().release();
            if (released) {
                LOG.infof("Released the leader Lease %s", lease.describe());
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("Could not release the leader Lease %s (%s); a standby takes it when it expires",
                    lease.describe(), e.getMessage());
        }
    }
}
