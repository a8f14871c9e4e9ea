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
        return new DatabaseStatus(verifiedAt.toString(), report.migrations().currentVersion(),
                report.findings().stream().limit(FINDINGS_SHOWN).map(DatabaseStatusFactory::finding).toList(),
                report.findings().size(), report.blocking());
    }

    private static DriftFindingStatus finding(DriftFinding finding) {
        return new DriftFindingStatus(finding.category().label(), finding.object(), finding.severity().label(),
                finding.problem(), finding.statements());
    }
}
