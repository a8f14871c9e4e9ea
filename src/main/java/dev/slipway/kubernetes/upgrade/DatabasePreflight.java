package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.artifacts.ArtifactStore;
import dev.slipway.core.migration.VerificationReport;
import dev.slipway.core.schema.DriftFinding;
import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.core.schema.Severity;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeSequence;
import dev.slipway.database.DatabaseException;
import dev.slipway.database.DatabaseVerifier;
import dev.slipway.database.DbConnection;
import dev.slipway.database.DriftFixer;
import dev.slipway.database.FlywayMigrator;
import dev.slipway.kubernetes.status.EventReason;
import dev.slipway.kubernetes.status.EventRecorder;
import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.Release;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jboss.logging.Logger;
import org.semver4j.Semver;

/** The database half of Preflight: reachable, its Flyway history valid and its schema free of blocking drift. */
@ApplicationScoped
public class DatabasePreflight {

    private static final Logger LOG = Logger.getLogger(DatabasePreflight.class);

    private final ArtifactStore bundles;
    private final DatabaseAccess databases;
    private final EventRecorder events;
    private final Clock clock;

    public DatabasePreflight(ArtifactStore bundles, DatabaseAccess databases, EventRecorder events, Clock clock) {
        this.bundles = bundles;
        this.databases = databases;
        this.events = events;
        this.clock = clock;
    }

    /**
     * VerifyDatabase: the admin connection must work (migrations need it); Flyway history and schema drift are read
     * over the read-only connection when one is given. The findings go to status.database either way.
     */
    StepResult verify(ManagedUpgrade resource, ManagedUpgradeStatus status, UpgradeInputs in) {
        UpgradeProgress progress = status.getUpgrade();
        String namespace = resource.getMetadata().getNamespace();
        DbConnection admin;
        DbConnection reader;
        try {
            admin = databases.connection(namespace, in.database().getAdminSecretRef(), "spec.database.adminSecretRef");
            reader = in.database().getReadOnlySecretRef() == null ? admin : databases.connection(namespace,
                    in.database().getReadOnlySecretRef(), "spec.database.readOnlySecretRef");
        } catch (IllegalArgumentException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage());
        }
        for (DbConnection db : admin == reader ? List.of(admin) : List.of(admin, reader)) {
            try (Connection ignored = db.open()) {
                LOG.debugf("database of %s reachable as %s", resource.getMetadata().getName(), db.username());
            } catch (SQLException e) {
                return StepResult.fail(UpgradeFailure.DatabaseUnreachable, "cannot connect to the database "
                        + db.redactedUrl() + " as " + db.username() + " (SQL state " + e.getSQLState() + ")");
            }
        }
        // Bundles are cumulative: a release without schema changes is described by the newest release at or below
        // it that ships migrations.
        Semver from = Semver.parse(progress.getFrom());
        Optional<Release> installed = in.catalog().releases().stream()
                .filter(r -> r.migrations() != null && from != null && r.version().compareTo(from) <= 0)
                .reduce((lower, higher) -> higher);
        if (installed.isEmpty()) {
            return StepResult.done();
        }
        try {
            Release baseline = installed.get();
            VerificationReport report = verifyAgainst(baseline, resource, reader, in);
            Optional<Release> reached = report.migrations().unknownApplied().isEmpty() ? Optional.empty()
                    : hopAt(report.migrations().currentVersion(), progress, in);
            if (reached.isPresent()) {
                // Verified against the hop the database is at, never the older release: drift "fixes" computed
                // against the older schema would undo that hop's migrations.
                baseline = reached.get();
                report = verifyAgainst(baseline, resource, reader, in);
                progress.setCommitted(true);
                events.warning(resource, EventReason.UpgradeResumed, "the database is already at schema "
                        + report.migrations().currentVersion() + " of release " + baseline.version() + ": an earlier"
                        + " run of this upgrade migrated it and its checkpoint was lost; going on from there (a failure"
                        + " now holds behind the maintenance page instead of rolling back)");
            }
            if (Boolean.TRUE.equals(in.database().getAutoFix()) && report.count(Severity.FIXABLE) > 0) {
                // Only additive statements, each in its own transaction; then verify again so status shows the result.
                List<String> applied = DriftFixer.apply(admin, report.findings(), false, statement -> {
                }).stream().filter(DriftFixer.AppliedStatement::applied).map(DriftFixer.AppliedStatement::statement).toList();
                progress.setAppliedFixes(applied);
                report = verifyAgainst(baseline, resource, reader, in);
            }
            status.setDatabase(DatabaseStatusFactory.from(report, clock.instant()));
            if (!report.migrations().isValid()) {
                return StepResult.fail(UpgradeFailure.DatabaseNotVerified, "the database's migration history does not "
                        + "match release " + baseline.version() + ": " + String.join("; ", report.migrations().problems()));
            }
            if (report.blocking()) {
                DriftFinding first = report.findings().stream().filter(DriftFinding::isBlocking).findFirst().orElseThrow();
                return StepResult.fail(UpgradeFailure.BlockingDrift, report.count(Severity.BLOCKING)
                        + " blocking schema drift finding(s), first: " + first.object() + ": " + first.problem()
                        + " (see status.database)");
            }
        } catch (FeedException e) {
            return StepResult.fail(UpgradeFailure.BundleUnavailable, "release artifacts of the installed version "
                    + progress.getFrom() + ": " + e.getMessage());
        } catch (DatabaseException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage());
        }
        return StepResult.done();
    }

    /** Flyway history and, when the release publishes a schema snapshot, drift: the database against one release. */
    private VerificationReport verifyAgainst(Release release, ManagedUpgrade resource, DbConnection reader,
            UpgradeInputs in) throws FeedException {
        Path migrations = bundles.migrations(in.source(), StepRunner.owner(resource), release);
        Optional<SchemaSnapshot> expected = bundles.snapshot(in.source(), StepRunner.owner(resource), release);
        return expected.isPresent()
                ? DatabaseVerifier.verify(reader, migrations, expected.get(), in.database().getSchemas())
                : new VerificationReport(new FlywayMigrator(reader, migrations).inSchemas(in.database().getSchemas())
                        .info(), List.of());
    }

    /** The release of the plan's hop whose schema the database is at, if an earlier run migrated it there. */
    private static Optional<Release> hopAt(String databaseVersion, UpgradeProgress progress, UpgradeInputs in) {
        List<HopStatus> hops = progress.getHops();
        OptionalInt hop = UpgradeSequence.hopMigratedByAnEarlierRun(databaseVersion,
                hops.stream().map(HopStatus::schemaVersion).toList(), FlywayMigrator::sameVersion);
        return hop.isEmpty() ? Optional.empty() : StepRunner.release(in, hops.get(hop.getAsInt()).version());
    }

}
