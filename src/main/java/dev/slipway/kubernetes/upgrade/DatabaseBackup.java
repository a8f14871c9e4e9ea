package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.spec.BackupSpec;
import dev.slipway.api.v1alpha1.spec.DatabaseSpec;
import dev.slipway.api.v1alpha1.spec.SecretRef;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.core.ByteSize;
import dev.slipway.core.upgrade.BackupTimePreflight;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.database.BackupNames;
import dev.slipway.database.DatabaseException;
import dev.slipway.database.TemplateCloner;
import dev.slipway.kubernetes.backup.BackupProgress;
import dev.slipway.kubernetes.backup.BackupRestorer;
import dev.slipway.kubernetes.backup.BackupTarget;
import dev.slipway.kubernetes.backup.CloudNativePgBackup;
import dev.slipway.kubernetes.backup.ExternalBackup;
import dev.slipway.kubernetes.backup.PgDumpJob;
import dev.slipway.kubernetes.backup.PgDumpRestore;
import dev.slipway.kubernetes.backup.RestoreTarget;
import dev.slipway.kubernetes.backup.TemplateCloneRestore;
import dev.slipway.kubernetes.status.EventReason;
import dev.slipway.kubernetes.status.EventRecorder;
import dev.slipway.releaseapi.Release;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code spec.database.backup}: whether an upgrade takes a backup (decided when it begins), the preflight check that
 * the admin role may take it, and the Backup step itself. The step is crash-safe in two checkpoints: the backup's name
 * is decided and written to status first, then the copy is made; a step run again finds the copy by that name (an
 * earlier run made it before the crash), completes and verifies it instead of taking a second one.
 */
@ApplicationScoped
public class DatabaseBackup {

    private final DatabaseAccess databases;
    private final EventRecorder events;
    private final SlipwayConfig config;
    private final Clock clock;
    private final PgDumpJob pgDump;
    private final CloudNativePgBackup cloudNativePg;
    private final TemplateCloneRestore templateCloneRestore;
    private final PgDumpRestore pgDumpRestore;

    public DatabaseBackup(DatabaseAccess databases, EventRecorder events, SlipwayConfig config, Clock clock,
            PgDumpJob pgDump, CloudNativePgBackup cloudNativePg, TemplateCloneRestore templateCloneRestore,
            PgDumpRestore pgDumpRestore) {
        this.databases = databases;
        this.events = events;
        this.config = config;
        this.clock = clock;
        this.pgDump = pgDump;
        this.cloudNativePg = cloudNativePg;
        this.templateCloneRestore = templateCloneRestore;
        this.pgDumpRestore = pgDumpRestore;
    }

    /** What restores a backup of {@code method}: the methods {@link BackupRestorer#restoredBySlipway} names. */
    private Optional<BackupRestorer> restorer(BackupMethod method) {
        return switch (method) {
            case TemplateClone -> Optional.of(templateCloneRestore);
            case PgDump -> Optional.of(pgDumpRestore);
            case None, CloudNativePG -> Optional.empty();
        };
    }

    /** The controller that takes a backup of {@code method} for Slipway; empty for TemplateClone, taken here. */
    private Optional<ExternalBackup> external(BackupMethod method) {
        return switch (method) {
            case PgDump -> Optional.of(pgDump);
            case CloudNativePG -> Optional.of(cloudNativePg);
            case None, TemplateClone -> Optional.empty();
        };
    }

    /** The backup a new upgrade plans: one when a method is chosen and at least one hop migrates the database. */
    static BackupStatus planned(DatabaseSpec database, List<HopStatus> hops) {
        BackupSpec backup = database == null ? null : database.getBackup();
        if (backup == null || backup.getMethod() == null || backup.getMethod() == BackupMethod.None
                || hops.stream().allMatch(hop -> hop.schemaVersion() == null)) {
            return null;
        }
        return BackupStatus.planned(backup.getMethod());
    }

    /** In preflight, before the page goes up: why the planned backup could not be taken, if it could not. */
    Optional<StepResult> refusal(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        if (progress.getBackup() == null || in.database() == null) {
            return Optional.empty();
        }
        try {
            TemplateCloner cloner = cloner(resource, in);
            BackupMethod method = progress.getBackup().method();
            Optional<ExternalBackup> external = external(method);
            Optional<StepResult> missing = (external.isPresent()
                    ? external.get().misconfiguration(target(resource, progress, in))
                            .or(() -> restorePrivilege(cloner, method, in))
                    : cloner.missingPrivilege().map(why -> "spec.database.backup.method TemplateClone: " + why))
                    .map(why -> StepResult.fail(UpgradeFailure.BackupNotPermitted, why + "; nothing was changed"));
            if (missing.isPresent()) {
                return missing;
            }
            Long maxSizeBytes = in.database().getBackup().getMaxSizeBytes();
            String database = cloner.sourceDatabase();
            long size = cloner.sizeBytes(database);
            Optional<StepResult> large = maxSizeBytes == null ? Optional.empty()
                    : tooLarge(database, size, maxSizeBytes).map(why -> StepResult.fail(
                            UpgradeFailure.BackupNotPermitted, why));
            if (large.isPresent()) {
                return large;
            }
            Instant now = clock.instant();
            return new BackupTimePreflight(database, size, config.database().backupThroughput(),
                    BackupTimes.migrationEstimate(resource.getStatus(), progress))
                    .overrun(now, BackupTimes.windowEnd(progress, in, now), "slipway.database.backup-throughput")
                    .map(why -> StepResult.fail(UpgradeFailure.BackupWouldOverrunWindow, why));
        } catch (IllegalArgumentException e) {
            return Optional.of(StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage()));
        } catch (DatabaseException e) {
            return Optional.of(StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage()));
        }
    }

    /**
     * Why a restore of a backup another controller took could not run, if it could not: restoring a PgDump creates a
     * database and renames the application's, which needs what a TemplateClone backup needs.
     */
    private static Optional<String> restorePrivilege(TemplateCloner cloner, BackupMethod method, UpgradeInputs in) {
        if (!Boolean.TRUE.equals(in.database().getBackup().getRestoreOnFailure())
                || !BackupRestorer.restoredBySlipway(method)) {
            return Optional.empty();
        }
        return cloner.missingPrivilege().map(why -> "spec.database.backup.restoreOnFailure with method " + method
                + ": " + why);
    }

    /** Why a database of {@code sizeBytes} is too large for {@code spec.database.backup.maxSizeBytes}, if it is. */
    static Optional<String> tooLarge(String database, long sizeBytes, long maxSizeBytes) {
        if (sizeBytes <= maxSizeBytes) {
            return Optional.empty();
        }
        return Optional.of("spec.database.backup.maxSizeBytes is " + sizeText(maxSizeBytes) + " but database "
                + database + " is " + sizeText(sizeBytes) + " (pg_database_size): raise the limit if the server has "
                + "room for the copy; nothing was changed");
    }

    /** The Backup step; the application is quiesced (the caller checked it still is). */
    StepResult take(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        BackupStatus backup = progress.getBackup();
        if (backup == null || backup.wasTaken()) {
            return StepResult.done();
        }
        try {
            Optional<ExternalBackup> external = external(backup.method());
            if (external.isPresent()) {
                return takeWith(external.get(), resource, progress, in);
            }
            TemplateCloner cloner = cloner(resource, in);
            if (!backup.isNamed()) {
                String name = BackupNames.name(cloner.sourceDatabase(), progress.getFrom(), clock.instant());
                progress.setBackup(backup.named(name));
                return new StepResult.Checkpoint();
            }
            String name = backup.database();
            cloner.cloneTo(name);
            List<String> differences = cloner.differences(name);
            if (!differences.isEmpty()) {
                // An unfaithful copy is no backup: it must not count against retention, nor be restored.
                cloner.drop(name);
                return StepResult.fail(UpgradeFailure.BackupUnverified, "the copy " + name + " differs from the "
                        + "database and was dropped: " + String.join("; ", differences) + "; nothing was migrated");
            }
            long size = cloner.sizeBytes(name);
            progress.setBackup(backup.taken(size, clock.instant().toString(), null).ofVersion(servedVersion(progress)));
            events.normal(resource, EventReason.BackupTaken, "backed up the database of " + progress.getFrom()
                    + " to database " + name + " (" + sizeText(size) + "), verified: schema, row counts, grants and "
                    + "settings equal");
            TemplateCloner.Pruned pruned = cloner.prune(name, keep(in));
            if (!pruned.notDropped().isEmpty()) {
                events.warning(resource, EventReason.BackupsNotPruned, "spec.database.backup.keep is " + keep(in)
                        + " but these older backups could not be dropped: " + pruned.notDropped());
            }
            return StepResult.done();
        } catch (IllegalArgumentException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage());
        } catch (DatabaseException e) {
            return StepResult.fail(e.kind() == DatabaseException.Kind.CONNECTION_FAILED
                    ? UpgradeFailure.DatabaseUnreachable : UpgradeFailure.BackupFailed,
                    "backup " + backup.database() + ": " + e.getMessage() + "; nothing was migrated");
        }
    }

    /** The version the database served when backed up: before the hop whose page phase takes the backup. */
    private static String servedVersion(UpgradeProgress progress) {
        int hop = progress.getHop() == null ? 0 : progress.getHop();
        return hop == 0 ? progress.getFrom() : progress.getHops().get(hop - 1).version();
    }

    /**
     * Called just before traffic goes back to the application (RestoreTraffic, RollBack, abandon): from then on
     * visitors may write what the backup lacks, so the time is recorded first (a little early rather than late) and
     * an explicit restore must echo it. True when it was recorded now and must be checkpointed.
     */
    static boolean markWritesSince(UpgradeProgress progress, Instant now) {
        BackupStatus backup = progress.getBackup();
        if (backup == null || !backup.needsWritesSince()) {
            return false;
        }
        progress.setBackup(backup.writesSince(now.toString()));
        return true;
    }

    /** A backup another controller takes: its identity checkpointed first, then created once and waited on. */
    private StepResult takeWith(ExternalBackup external, ManagedUpgrade resource, UpgradeProgress progress,
            UpgradeInputs in) {
        BackupStatus backup = progress.getBackup();
        BackupTarget target = target(resource, progress, in);
        if (!backup.isNamed()) {
            progress.setBackup(external.named(target, backup, clock.instant()));
            return new StepResult.Checkpoint();
        }
        BackupProgress advanced = external.advance(target, backup);
        if (advanced instanceof BackupProgress.Running running) {
            return new StepResult.Wait(config.database().backupPollInterval(), running.why());
        }
        if (advanced instanceof BackupProgress.Failed failed) {
            return StepResult.fail(UpgradeFailure.BackupFailed, failed.message() + "; nothing was migrated");
        }
        BackupProgress.Completed completed = (BackupProgress.Completed) advanced;
        progress.setBackup(backup.taken(completed.sizeBytes(), clock.instant().toString(), completed.summary())
                .ofVersion(servedVersion(progress)));
        events.normal(resource, EventReason.BackupTaken, "backed up the database of " + progress.getFrom() + " ("
                + backup.method() + "): " + completed.summary());
        return StepResult.done();
    }

    private BackupTarget target(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        SecretRef admin = in.database().getAdminSecretRef();
        return new BackupTarget(resource, in.database().getBackup(), admin, databases.connection(
                resource.getMetadata().getNamespace(), admin, "spec.database.adminSecretRef"), progress.getFrom());
    }

    /**
     * Whether a failure after a commit may restore this upgrade's backup: asked for, taken and verified, of a method
     * Slipway restores, and named ({@code database}; a PgDump backup recorded before PgDump restores existed has none).
     */
    static boolean restorable(BackupSpec spec, BackupStatus backup) {
        return spec != null && Boolean.TRUE.equals(spec.getRestoreOnFailure()) && backup != null && backup.wasTaken()
                && BackupRestorer.restoredBySlipway(backup.method()) && backup.database() != null;
    }

    /**
     * For {@code spec.actions.restore}, before the page goes up: why {@code backup} can no longer be restored, if it
     * cannot (its database or its dump's claim is gone).
     */
    Optional<String> missing(ManagedUpgrade resource, DatabaseSpec database, BackupStatus backup) {
        BackupRestorer restorer = restorer(backup.method()).orElseThrow(() -> new IllegalArgumentException(
                "backups taken with " + backup.method() + " are not restored by Slipway"));
        SecretRef admin = database.getAdminSecretRef();
        return restorer.missing(new BackupTarget(resource, database.getBackup(), admin, databases.connection(
                resource.getMetadata().getNamespace(), admin, "spec.database.adminSecretRef"), null), backup);
    }

    /**
     * The Restore step, crash-safe in checkpoints like {@link #take}: the failed database's name is decided and
     * written to status first; then the method's {@link BackupRestorer} brings the backup into the database named
     * {@code backup.database} (at once for TemplateClone, whose copy is there; a pg_restore Job waited on for
     * PgDump); then the names are swapped. Run again, which databases exist tell whether the swap happened already,
     * and the restorer tells how far it got.
     */
    StepResult restore(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        BackupStatus backup = progress.getBackup();
        if (backup.restoredAt() != null) {
            return StepResult.done();
        }
        try {
            TemplateCloner cloner = cloner(resource, in);
            String database = cloner.sourceDatabase();
            if (backup.failedDatabase() == null) {
                progress.setBackup(backup.failedAs(BackupNames.failedName(database, clock.instant())));
                return new StepResult.Checkpoint();
            }
            String how = "";
            if (!cloner.swapped(database, backup.database(), backup.failedDatabase())) {
                BackupRestorer restorer = restorer(backup.method()).orElseThrow(() -> new IllegalArgumentException(
                        "spec.database.backup.method: backups taken with " + backup.method() + " are not restored by "
                                + "Slipway"));
                BackupProgress prepared = restorer.prepare(new RestoreTarget(target(resource, progress, in),
                        schemaVersion(in, backup), flywaySchema(in)), backup);
                if (prepared instanceof BackupProgress.Running running) {
                    return new StepResult.Wait(config.database().backupPollInterval(), running.why());
                }
                if (prepared instanceof BackupProgress.Failed failed) {
                    // A retry decides new names (and, for PgDump, a new Job) rather than meet this attempt's again.
                    progress.setBackup(backup.failedAs(null));
                    return StepResult.fail(UpgradeFailure.BackupFailed, "restore of backup " + backup.database()
                            + ": " + failed.message() + "; database " + database + " was not replaced and the "
                            + "application stays behind the maintenance page");
                }
                String summary = ((BackupProgress.Completed) prepared).summary();
                how = summary == null ? "" : " (" + summary + ")";
            }
            cloner.restoreFrom(database, backup.database(), backup.failedDatabase());
            // After a failed migration the database is the one the original images ran on again: nothing of the
            // upgrade is committed. An explicit restore is the reverse: the running images are newer than it.
            progress.setCommitted(Boolean.TRUE.equals(progress.getExplicitRestore()));
            progress.setBackup(backup.restored(clock.instant().toString()));
            String why = Boolean.TRUE.equals(progress.getExplicitRestore()) ? "spec.actions.restore, writes since "
                    + backup.writesSince() + " are only in the kept database" : progress.getFailureMessage();
            events.warning(resource, EventReason.BackupRestored, "restored database " + database + " from "
                    + backup.method() + " backup " + backup.database() + how + " taken before the upgrade to "
                    + progress.getTo() + "; the failed database is kept as " + backup.failedDatabase() + ": " + why);
            return StepResult.done();
        } catch (IllegalArgumentException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage());
        } catch (DatabaseException e) {
            return StepResult.fail(e.kind() == DatabaseException.Kind.CONNECTION_FAILED
                    ? UpgradeFailure.DatabaseUnreachable : UpgradeFailure.BackupFailed,
                    "restore of backup " + backup.database() + ": " + e.getMessage()
                            + "; the application stays behind the maintenance page");
        }
    }

    /** The Flyway schema version of the release the backup was taken from, when the feed still knows it. */
    private static String schemaVersion(UpgradeInputs in, BackupStatus backup) {
        if (backup.version() == null || in.catalog() == null) {
            return null;
        }
        return StepRunner.release(in, backup.version()).map(Release::migrations).map(Release.MigrationsRef::schemaVersion)
                .orElse(null);
    }

    private static String flywaySchema(UpgradeInputs in) {
        List<String> schemas = in.database().getSchemas();
        return schemas == null || schemas.isEmpty() ? null : schemas.get(0);
    }

    private TemplateCloner cloner(ManagedUpgrade resource, UpgradeInputs in) {
        return new TemplateCloner(databases.connection(resource.getMetadata().getNamespace(),
                in.database().getAdminSecretRef(), "spec.database.adminSecretRef"));
    }

    private static int keep(UpgradeInputs in) {
        BackupSpec backup = in.database().getBackup();
        return backup == null ? BackupSpec.DEFAULT_KEEP : backup.effectiveKeep();
    }

    /** "7.6 MiB (7969283 bytes)". */
    static String sizeText(long bytes) {
        return ByteSize.text(bytes);
    }
}
