package dev.slipway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaderElectionProducerTest {

    private static SlipwayConfig.LeaderElection settings(boolean enabled, String leaseName) {
        return new SlipwayConfig.LeaderElection() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public String leaseName() {
                return leaseName;
            }
        };
    }

    /** The application's mapping with Quarkus' duration syntax ("10s"), without starting Quarkus. */
    private static SmallRyeConfigBuilder quarkusLikeConfig() {
        return new SmallRyeConfigBuilder().withMapping(SlipwayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter());
    }

    /** The variables helm/slipway/templates/deployment.yaml sets, read as the application reads its environment. */
    @Test
    void theHelmChartsEnvironmentVariablesConfigureTheElection() {
        SmallRyeConfig config = quarkusLikeConfig()
                .withSources(new EnvConfigSource(Map.of("SLIPWAY_LEADER_ELECTION_ENABLED", "true",
                        "SLIPWAY_LEADER_ELECTION_LEASE_NAME", "slipway-leader-x", "POD_NAMESPACE", "slipway-system",
                        "HOSTNAME", "slipway-7d9f-x2"), 300))
                .build();

        LeaderElectionConfiguration election = LeaderElectionProducer.configuration(
                config.getConfigMapping(SlipwayConfig.class).leaderElection(),
                config.getOptionalValue("pod.namespace", String.class),
                config.getOptionalValue("hostname", String.class), () -> { });

        assertThat(election.getLeaseName()).isEqualTo("slipway-leader-x");
        assertThat(election.getLeaseNamespace()).hasValue("slipway-system");
        assertThat(election.getIdentity()).as("the pod's name").hasValue("slipway-7d9f-x2");
    }

    @Test
    void offUnlessTheEnvironmentSwitchesItOn() {
        SmallRyeConfig config = quarkusLikeConfig().build();

        assertThat(config.getConfigMapping(SlipwayConfig.class).leaderElection().enabled()).isFalse();
    }

    @Test
    void disabledMeansNoElection() {
        assertThat(LeaderElectionProducer.configuration(settings(false, "slipway-leader"), Optional.of("slipway-system"),
                Optional.of("pod-a"), () -> { })).isNull();
    }

    @Test
    void enabledElectsThroughTheNamedLeaseInThePodsNamespaceAndReportsStoppingToLeadInsteadOfExiting() {
        AtomicInteger stoppedLeading = new AtomicInteger();
        LeaderElectionConfiguration election = LeaderElectionProducer.configuration(settings(true, "slipway-x-leader"),
                Optional.of("slipway-system"), Optional.of("pod-a"), stoppedLeading::incrementAndGet);

        assertThat(election.getLeaseName()).isEqualTo("slipway-x-leader");
        assertThat(election.getLeaseNamespace()).hasValue("slipway-system");
        assertThat(election.getIdentity()).hasValue("pod-a");
        assertThat(election.isExitOnStopLeading()).as("JOSDK's System.exit would hang a SIGTERM's shutdown").isFalse();
        election.getLeaderCallbacks().orElseThrow().onStopLeading();
        assertThat(stoppedLeading).hasValue(1);
    }

    @Test
    void withoutPodNamespaceTheClientsNamespaceIsUsed() {
        assertThat(LeaderElectionProducer.configuration(settings(true, "l"), Optional.empty(), Optional.of("pod-a"),
                () -> { }).getLeaseNamespace()).isEmpty();
    }

    @Test
    void withoutAHostnameEachProcessGetsAnIdentityOfItsOwn() {
        String first = LeaderElectionProducer.configuration(settings(true, "l"), Optional.empty(), Optional.empty(),
                () -> { }).getIdentity().orElseThrow();
        String second = LeaderElectionProducer.configuration(settings(true, "l"), Optional.empty(), Optional.of(" "),
                () -> { }).getIdentity().orElseThrow();

        assertThat(first).isNotBlank().isNotEqualTo(second);
        assertThat(second).isNotBlank();
    }
}
