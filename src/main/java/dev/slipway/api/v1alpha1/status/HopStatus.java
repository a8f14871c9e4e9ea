package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.core.plan.HopReason;

/** One hop of a plan: a release the application runs (or passes through) on the way to the target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HopStatus(
        @JsonPropertyDescription("Version of the hop.") String version,
        @JsonPropertyDescription("Why the path goes through this version.") HopReason reason,
        @JsonPropertyDescription("Flyway version the hop migrates to.") String schemaVersion) {
}
