package dev.slipway.kubernetes.status;

import dev.slipway.api.v1alpha1.spec.ManagedUpgradeSpec;
import dev.slipway.api.v1alpha1.spec.ZeroDowntime;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.PlanStatus;
import dev.slipway.core.plan.Hop;
import dev.slipway.core.plan.PlanOutcome;
import dev.slipway.core.upgrade.HopMode;
import java.util.List;

/** The planner's path as status shows it: in {@code status.plan} and frozen in {@code status.upgrade.hops}. */
public final class PlanStatuses {

    private PlanStatuses() {
    }

    public static PlanStatus plan(PlanOutcome.Planned planned, ManagedUpgradeSpec spec) {
        return new PlanStatus(planned.target().toString(), hops(planned, spec));
    }

    /** The path's hops, each marked zero-downtime when its release allows it and the admin's policy does too. */
    public static List<HopStatus> hops(PlanOutcome.Planned planned, ManagedUpgradeSpec spec) {
        boolean allowed = spec.getPolicy() == null || spec.getPolicy().getZeroDowntime() != ZeroDowntime.Never;
        return planned.steps().stream().map(hop -> hop(hop, allowed)).toList();
    }

    private static HopStatus hop(Hop hop, boolean zeroDowntimeAllowed) {
        HopMode mode = HopMode.of(hop.release().compatibility().isPresent(), zeroDowntimeAllowed);
        return new HopStatus(hop.version(), hop.reason(), hop.schemaVersion(), mode.downtime() ? null : true);
    }
}
