package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Evaluation of the maintenance windows. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MaintenanceStatus(
        @JsonPropertyDescription("When an evaluation last changed this status (one that changes nothing is not written).") String evaluatedAt,
        @JsonPropertyDescription("Whether now lies in a window.") Boolean inWindow,
        @JsonPropertyDescription("Whether an upgrade may start now.") Boolean canStartNow,
        @JsonPropertyDescription("InWindow, OutsideWindow, Excluded, InsufficientRemainingWindow, NoFutureWindow or NotConfigured.") String reason,
        @JsonPropertyDescription("The window now open.") WindowStatus currentWindow,
        @JsonPropertyDescription("The next window.") WindowStatus nextWindow,
        @JsonPropertyDescription("Earliest instant an upgrade may start.") String nextEligibleStart,
        @JsonPropertyDescription("Time zone database version used.") String tzdbVersion,
        @JsonPropertyDescription("Warnings about the window configuration.") List<String> warnings) {
}
