package dev.slipway.core.migration;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.core.schema.DriftFinding;
import dev.slipway.core.schema.Severity;
import java.util.List;

/**
 * The answer to "is this database what the installed version expects?": its migration history against the installed
 * version's bundle, and schema drift against that version's snapshot.
 */
public record VerificationReport(MigrationStatus migrations, List<DriftFinding> findings) {

    public VerificationReport {
        findings = List.copyOf(findings);
    }

    /** The upgrade must not start: a failed, changed or unknown migration, or a Blocking drift finding. */
    @JsonProperty
    public boolean blocking() {
        return !migrations.isValid() || findings.stream().anyMatch(DriftFinding::isBlocking);
    }

    /** Nothing at all to report: history valid, nothing pending, no drift (not even a Warning). */
    @JsonProperty
    public boolean clean() {
        return migrations.isValid() && migrations.pending().isEmpty() && findings.isEmpty();
    }

    public long count(Severity severity) {
        return findings.stream().filter(finding -> finding.severity() == severity).count();
    }
}
