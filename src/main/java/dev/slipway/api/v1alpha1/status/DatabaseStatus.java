package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Outcome of the last database verification, kept up to date as hops migrate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatabaseStatus(
        @JsonPropertyDescription("When verified.") String verifiedAt,
        @JsonPropertyDescription("Flyway schema version found.") String schemaVersion,
        @JsonPropertyDescription("First findings.") List<DriftFindingStatus> findings,
        @JsonPropertyDescription("Total number of findings.") Integer findingCount,
        @JsonPropertyDescription("Whether a finding blocks upgrades.") Boolean blocking) {

    /** The same verification, with the database now at {@code version} (after a hop migrated it). */
    public DatabaseStatus atSchema(String version) {
        return new DatabaseStatus(verifiedAt, version, findings, findingCount, blocking);
    }
}
