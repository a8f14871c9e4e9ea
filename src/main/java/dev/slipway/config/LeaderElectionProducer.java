package dev.slipway.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
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

    @Produces
    @Dependent
    @Unremovable
    LeaderElectionConfiguration leaderElection(SlipwayConfig config,
            @ConfigProperty(name = "pod.namespace") Optional<String> podNamespace) {
        return configuration(config.leaderElection(), podNamespace);
    }

    /** The configuration for these settings; null when election is off. */
    static LeaderElectionConfiguration configuration(SlipwayConfig.LeaderElection settings,
            Optional<String> podNamespace) {
        if (!settings.enabled()) {
            return null;
        }
        LeaderElectionConfigurationBuilder builder = LeaderElectionConfigurationBuilder
                .aLeaderElectionConfiguration(settings.leaseName())
                // Losing the Lease ends the process: Kubernetes restarts it as a standby, with no half-stopped controllers.
                .withExitOnStopLeading(true);
        // Without POD_NAMESPACE, JOSDK uses the client's namespace (the pod's own, in a cluster).
        podNamespace.ifPresent(builder::withLeaseNamespace);
        return builder.build();
    }
}
