package dev.slipway.http.api;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.DatabaseStatus;
import dev.slipway.api.v1alpha1.status.DriftFindingStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The last database verification of a ManagedUpgrade, from {@code status.database}: no database is contacted per
 * request. Suggested SQL is left out: it is a summary; {@code slipway drift} prints the statements.
 */
@Schema(name = "DatabaseStatus", description = "Outcome of the last verification of the application's database.")
public record DatabaseStatusView(
        @Schema(description = "Namespace of the ManagedUpgrade.") String namespace,
        @Schema(description = "Name of the ManagedUpgrade.") String name,
        @Schema(description = "Whether the database has been verified at all; the other fields are null if not.")
        boolean verified,
        @Schema(description = "Flyway schema version found.") String schemaVersion,
        @Schema(description = "When it was verified.") String verifiedAt,
        @Schema(description = "Whether a finding blocks upgrades.") Boolean blocking,
        @Schema(description = "Total number of drift findings.") Integer findingCount,
        @Schema(description = "Number of the reported findings per severity (Blocking, Fixable, Warning).")
        Map<String, Integer> findingsBySeverity,
        @Schema(description = "The first findings.") List<Finding> findings) {

    @Schema(name = "DriftFinding", description = "One difference between the live and the expected schema.")
    public record Finding(
            @Schema(description = "Kind of object and problem.") String category,
            @Schema(description = "The object concerned.") String object,
            @Schema(description = "Blocking, Fixable or Warning.") String severity,
            @Schema(description = "What differs.") String problem) {
    }

    public static DatabaseStatusView of(ManagedUpgrade resource) {
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        DatabaseStatus database = resource.getStatus() == null ? null : resource.getStatus().getDatabase();
        if (database == null) {
            return new DatabaseStatusView(namespace, name, false, null, null, null, null, Map.of(), List.of());
        }
        List<DriftFindingStatus> findings = database.findings() == null ? List.of() : database.findings();
        Map<String, Integer> bySeverity = new TreeMap<>();
        findings.forEach(finding -> bySeverity.merge(String.valueOf(finding.severity()), 1, Integer::sum));
        return new DatabaseStatusView(namespace, name, true, database.schemaVersion(), database.verifiedAt(),
                database.blocking(), database.findingCount() == null ? findings.size() : database.findingCount(),
                bySeverity, findings.stream().map(finding -> new Finding(finding.category(), finding.object(),
                        finding.severity(), finding.problem())).toList());
    }
}
