package dev.slipway.cli;

import dev.slipway.core.migration.MigrationEntry;
import dev.slipway.core.migration.MigrationStatus;
import dev.slipway.core.migration.VerificationReport;

/** The text form of a verification: history, problems, drift, verdict. */
final class VerificationText {

    private VerificationText() {
    }

    static String describe(String version, VerificationReport report) {
        MigrationStatus migrations = report.migrations();
        StringBuilder text = new StringBuilder();
        text.append("Release ").append(version).append(": database at schema version ")
                .append(migrations.currentVersion() == null ? "none" : migrations.currentVersion()).append('\n');
        text.append("Migrations: ").append(migrations.applied().size()).append(" applied, ")
                .append(migrations.pending().size()).append(" pending")
                .append(migrations.pending().isEmpty() ? "" : " (" + String.join(", ",
                        migrations.pending().stream().map(MigrationEntry::label).toList()) + ")")
                .append('\n');
        migrations.problems().forEach(problem -> text.append("Problem: ").append(problem).append('\n'));
        text.append(DriftText.describe(report.findings()));
        text.append(report.blocking() ? "BLOCKING: an upgrade would stop here.\n"
                : report.clean() ? "OK: the database is what this release expects.\n"
                : "Not blocking, but not clean: see above.\n");
        return text.toString();
    }
}
