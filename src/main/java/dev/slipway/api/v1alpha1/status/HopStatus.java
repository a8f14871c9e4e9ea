package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.core.plan.HopReason;
import dev.slipway.core.upgrade.HopMode;

/** One hop of a plan: a release the application runs (or passes through) on the way to the target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HopStatus(
        @JsonPropertyDescription("Version of the hop.") String version,
        @JsonPropertyDescription("Why the path goes through this version.") HopReason reason,
        @JsonPropertyDescription("Flyway version the hop migrates to.") String schemaVersion,
        @JsonPropertyDescription("True when the hop runs without downtime (no maintenance page, no quiesce): its release "
                + "declares backward-compatible migrations and spec.policy.zeroDowntime allows it. Absent: the hop "
                + "runs behind the maintenance page.") Boolean zeroDowntime) {

    /** A hop behind the maintenance page. */
    public HopStatus(String version, HopReason reason, String schemaVersion) {
        this(version, reason, schemaVersion, null);
    }

    /** How the hop runs. */
    public HopMode mode() {
        return Boolean.TRUE.equals(zeroDowntime) ? HopMode.Rolling : HopMode.Page;
    }
}
