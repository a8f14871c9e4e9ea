package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One effective window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WindowStatus(
        @JsonPropertyDescription("Start instant (UTC).") String start,
        @JsonPropertyDescription("End instant (UTC).") String end,
        @JsonPropertyDescription("Start in the configured zone.") String startLocal,
        @JsonPropertyDescription("End in the configured zone.") String endLocal,
        @JsonPropertyDescription("Rule that produced it.") String rule,
        @JsonPropertyDescription("How a DST change shifted it.") String adjustment) {
}
