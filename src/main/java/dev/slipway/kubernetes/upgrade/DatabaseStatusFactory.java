package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.status.DatabaseStatus;
import dev.slipway.api.v1alpha1.status.DriftFindingStatus;
import dev.slipway.core.migration.VerificationReport;
import dev.slipway.core.schema.DriftFinding;
import java.time.Instant;

/** {@code status.database} from a verification: the first findings and their count, never connection details. */
final class DatabaseStatusFactory {

    static final int FINDINGS_SHOWN = 20;

    private DatabaseStatusFactory() {
    }

    static DatabaseStatus from(VerificationReport report, Instant verifiedAt) {
        DatabaseStatus status = new DatabaseStatus();
        status.setVerifiedAt(verifiedAt.toString());
        status.setSchemaVersion(report.migrations().currentVersion());
        status.setBlocking(report.blocking());
        status.setFindingCount(report.findings().size());
        status.setFindings(report.findings().stream().limit(FINDINGS_SHOWN).map(DatabaseStatusFactory::finding).toList());
        return status;
    }

    private static DriftFindingStatus finding(DriftFinding finding) {
        return new DriftFindingStatus(finding.category().label(), finding.object(), finding.severity().label(),
                finding.problem(), finding.statements());
    }
}
