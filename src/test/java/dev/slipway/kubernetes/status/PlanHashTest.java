package dev.slipway.kubernetes.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.core.plan.HopReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan digest an approval is bound to: equal for the same path, different for any change an admin would see. */
class PlanHashTest {

    private static final List<HopStatus> PATH = List.of(new HopStatus("1.2.0", HopReason.RequiredStop, "3"),
            new HopStatus("2.0.0", HopReason.Target, "4"));

    @Test
    void theSamePathHasTheSameDigestWhateverTheSchemaVersionsOrReasonsSay() {
        List<HopStatus> reworded = List.of(new HopStatus("1.2.0", HopReason.Target, "3"),
                new HopStatus("2.0.0", HopReason.Target, "5"));

        assertThat(PlanStatuses.hash("1.0.0", PATH)).hasSize(16).isEqualTo(PlanStatuses.hash("1.0.0", reworded));
    }

    @Test
    void anotherStartAnotherHopOrAHopWithoutDowntimeIsAnotherPlan() {
        String plan = PlanStatuses.hash("1.0.0", PATH);

        assertThat(PlanStatuses.hash("1.1.0", PATH)).isNotEqualTo(plan);
        assertThat(PlanStatuses.hash("1.0.0", List.of(PATH.get(1)))).isNotEqualTo(plan);
        assertThat(PlanStatuses.hash("1.0.0", List.of(PATH.get(0),
                new HopStatus("2.0.0", HopReason.Target, "4", true)))).isNotEqualTo(plan);
    }
}
