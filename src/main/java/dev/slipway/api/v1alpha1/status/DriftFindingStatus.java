package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One schema drift finding. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DriftFindingStatus(
        @JsonPropertyDescription("Kind of object and problem.") String category,
        @JsonPropertyDescription("The object concerned.") String object,
        @JsonPropertyDescription("Blocking, Fixable or Warning.") String severity,
        @JsonPropertyDescription("What differs.") String problem,
        @JsonPropertyDescription("Suggested SQL.") List<String> statements) {
}
