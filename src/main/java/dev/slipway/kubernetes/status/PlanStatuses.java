package dev.slipway.kubernetes.status;

import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.PlanStatus;
import dev.slipway.core.plan.Hop;
import dev.slipway.core.plan.PlanOutcome;
import java.util.List;

/** The planner's path as status shows it: in {@code status.plan} and frozen in {@code status.upgrade.hops}. */
public final class PlanStatuses {

    private PlanStatuses() {
    }

    public static PlanStatus plan(PlanOutcome.Planned planned) {
        return new PlanStatus(planned.target().toString(), hops(planned));
    }

    public static List<HopStatus> hops(PlanOutcome.Planned planned) {
        return planned.steps().stream().map(PlanStatuses::hop).toList();
    }

    private static HopStatus hop(Hop hop) {
        return new HopStatus(hop.version(), hop.reason(), hop.schemaVersion());
    }
}
