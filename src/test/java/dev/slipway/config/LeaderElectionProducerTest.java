package dev.slipway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Optional;
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

    @Test
    void disabledMeansNoElection() {
        assertThat(LeaderElectionProducer.configuration(settings(false, "slipway-leader"), Optional.of("slipway-system")))
                .isNull();
    }

    @Test
    void enabledElectsThroughTheNamedLeaseInThePodsNamespaceAndExitsWhenLeadershipIsLost() {
        LeaderElectionConfiguration election = LeaderElectionProducer.configuration(settings(true, "slipway-x-leader"),
                Optional.of("slipway-system"));

        assertThat(election.getLeaseName()).isEqualTo("slipway-x-leader");
        assertThat(election.getLeaseNamespace()).hasValue("slipway-system");
        assertThat(election.isExitOnStopLeading()).isTrue();
    }

    @Test
    void withoutPodNamespaceTheClientsNamespaceIsUsed() {
        assertThat(LeaderElectionProducer.configuration(settings(true, "l"), Optional.empty()).getLeaseNamespace())
                .isEmpty();
    }
}
