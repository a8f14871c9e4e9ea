package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The planned path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanStatus(
        @JsonPropertyDescription("Target version.") String target,
        @JsonPropertyDescription("Hops in order: each a release the application runs on the way.") List<HopStatus> hops,
        @JsonPropertyDescription("Digest of this path (current version, each hop and whether it has downtime): "
                + "spec.policy.approvedPlanHash binds an approval to it.") String hash,
        @JsonPropertyDescription("True when nothing is installed yet: a first install of the target into an empty "
                + "database (each hop's migrations applied in order, the application started only at the target).")
        Boolean install) {

    public PlanStatus(String target, List<HopStatus> hops) {
        this(target, hops, null, null);
    }
}
