package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.core.upgrade.UpgradeStep;

/** A step of an upgrade, with its times. Steps are told apart by step and hop; the name is for people. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepRecord(
        @JsonPropertyDescription("The step.") UpgradeStep step,
        @JsonPropertyDescription("Index of the hop (0-based) for the steps done once per hop.") Integer hop,
        @JsonPropertyDescription("Step name for display, with the hop's version for per-hop steps.") String name,
        @JsonPropertyDescription("When it started.") String startedAt,
        @JsonPropertyDescription("When it finished.") String finishedAt) {

    public StepRecord finished(String at) {
        return new StepRecord(step, hop, name, startedAt, at);
    }
}
