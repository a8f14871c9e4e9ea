package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What a component ran before the upgrade quiesced it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplicaRecord(
        @JsonPropertyDescription("Component name.") String component,
        @JsonPropertyDescription("Replicas before quiescing.") Integer replicas,
        @JsonPropertyDescription("Container image before the upgrade.") String image) {
}
