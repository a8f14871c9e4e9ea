package dev.slipway.kubernetes.status;

import dev.slipway.api.v1alpha1.spec.ManagedUpgradeSpec;
import dev.slipway.api.v1alpha1.spec.ZeroDowntime;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.PlanStatus;
import dev.slipway.core.plan.Hop;
import dev.slipway.core.plan.PlanOutcome;
import dev.slipway.core.upgrade.FirstInstall;
import dev.slipway.core.upgrade.HopMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The planner's path as status shows it: in {@code status.plan} and frozen in {@code status.upgrade.hops}. */
public final class PlanStatuses {

    private PlanStatuses() {
    }

    public static PlanStatus plan(PlanOutcome.Planned planned, ManagedUpgradeSpec spec) {
        List<HopStatus> hops = hops(planned, spec);
        boolean install = planned.current() == null;
        return new PlanStatus(planned.target().toString(), hops,
                hash(install ? FirstInstall.NOT_INSTALLED : planned.current().toString(), hops), install ? true : null);
    }

    /**
     * A short digest of a path as an administrator sees it: where it starts, each hop's version and whether it runs
     * without downtime. Equal paths give equal digests across restarts and replicas (no time, no order of maps).
     */
    public static String hash(String from, List<HopStatus> hops) {
        StringBuilder path = new StringBuilder(from);
        hops.forEach(hop -> path.append(" > ").append(hop.version())
                .append(Boolean.TRUE.equals(hop.zeroDowntime()) ? " (zero-downtime)" : ""));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
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
