package dev.slipway.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election through a coordination.k8s.io Lease, so two replicas (or an old and a new pod during a rollout)
 * never reconcile the same upgrade. QOSDK looks this bean up when the profile is listed in
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod); a null bean means no election.
 * A standby replica still starts and syncs its informers (JOSDK only holds back event processing), so it turns
 * Ready and takes over without a cold start.
 */
@ApplicationScoped
public class LeaderElectionProducer {

    /**
     * Fired when JOSDK stops leading: on a shutdown the operator asked for, and when the Lease was lost while running
     * ({@code OperatorLifecycle} tells the two apart and ends the process only in the second case).
     */
    public record StoppedLeading() {
    }

    @Produces
    @Dependent
    @Unremovable
    LeaderElectionConfiguration leaderElection(SlipwayConfig config,
            @ConfigProperty(name = "pod.namespace") Optional<String> podNamespace,
            @ConfigProperty(name = "hostname") Optional<String> hostname, Event<StoppedLeading> stoppedLeading) {
        return configuration(config.leaderElection(), podNamespace, hostname,
                () -> stoppedLeading.fire(new StoppedLeading()));
    }

    /** The configuration for these settings; null when election is off. */
    static LeaderElectionConfiguration configuration(SlipwayConfig.LeaderElection settings,
            Optional<String> podNamespace, Optional<String> hostname, Runnable onStopLeading) {
        if (!settings.enabled()) {
            return null;
        }
        LeaderElectionConfigurationBuilder builder = LeaderElectionConfigurationBuilder
                .aLeaderElectionConfiguration(settings.leaseName())
                // JOSDK's own choice (the pod name, else a random one), made here so that the operator can release
                // the Lease it holds when it stops: JOSDK 5.2.1 never does, so a standby would wait out the lease.
                .withIdentity(hostname.filter(name -> !name.isBlank()).orElseGet(() -> UUID.randomUUID().toString()))
                // JOSDK's exit on losing the Lease calls System.exit(1) from whatever thread stops leading, which on
                // a SIGTERM is the shutdown itself: System.exit inside a shutdown blocks forever, until SIGKILL.
                .withExitOnStopLeading(false)
                .withLeaderCallbacks(new LeaderCallbacks(() -> { }, onStopLeading, newLeader -> { }));
        // Without POD_NAMESPACE, JOSDK uses the client's namespace (the pod's own, in a cluster).
        podNamespace.ifPresent(builder::withLeaseNamespace);
        return builder.build();
    }
}
