package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.spec.DatabaseSpec;
import dev.slipway.api.v1alpha1.spec.RestoreAction;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.plan.HopReason;
import dev.slipway.core.upgrade.ExplicitRestore;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import dev.slipway.database.DatabaseException;
import dev.slipway.kubernetes.admin.RestoreRequest;
import dev.slipway.kubernetes.spec.ResolvedSpec;
import dev.slipway.kubernetes.status.Conditions;
import dev.slipway.kubernetes.status.Conditions.Type;
import dev.slipway.kubernetes.status.EventReason;
import dev.slipway.kubernetes.status.EventRecorder;
import dev.slipway.releaseapi.Release;
import dev.slipway.releaseapi.ReleaseCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code spec.actions.restore}: a new value is acted on once (remembered in {@code status.handledActions}). It is
 * refused, with the {@code RestoreRequested} condition naming the field and the reason, unless it names the latest
 * verified backup and echoes its {@code writesSince} ({@link ExplicitRestore}); accepted, it begins an explicit restore
 * run that the {@link UpgradeExecutor} drives through its checkpoints like an upgrade.
 */
@ApplicationScoped
public class RestoreRequests {

    private final DatabaseBackup backups;
    private final EventRecorder events;

    public RestoreRequests(DatabaseBackup backups, EventRecorder events) {
        this.backups = backups;
        this.events = events;
    }

    /** Whether {@code spec.actions.restore} holds a value not acted on yet. */
    public static boolean pending(ManagedUpgrade resource, ManagedUpgradeStatus status) {
        RestoreAction requested = resource.getSpec().getActions() == null ? null
                : resource.getSpec().getActions().getRestore();
        return requested != null && (status.getHandledActions() == null
                || !requested.equals(status.getHandledActions().getRestore()));
    }

    /**
     * Acts on a pending request: marks it handled, and returns the restore run to begin, or sets the refusal.
     *
     * @param next the status being written, with {@code currentVersion} discovered
     */
    public Optional<UpgradeProgress> act(ManagedUpgrade resource, ManagedUpgradeStatus next, Conditions conditions,
            ResolvedSpec spec, ReleaseCatalog catalog, Instant now) {
        RestoreAction request = resource.getSpec().getActions().getRestore();
        ActionsSpec handled = next.getHandledActions() == null ? new ActionsSpec() : next.getHandledActions();
        handled.setRestore(request);
        next.setHandledActions(handled);
        Optional<HistoryEntry> latest = RestoreRequest.latestBackup(next);
        Optional<ExplicitRestore.Refusal> refusal = RestoreRequest.refusal(next, request.getBackup(),
                request.getWritesSince()).or(() -> unusable(resource, latest.orElseThrow(), spec, catalog));
        String by = AdminActions.requester(resource).orElse("an administrator");
        if (refusal.isPresent()) {
            conditions.set(Type.RestoreRequested, false, refusal.get().reason(), refusal.get().message());
            events.warning(resource, EventReason.RestoreRefused, "restore requested by " + by + " refused: "
                    + refusal.get().message());
            return Optional.empty();
        }
        BackupStatus backup = latest.get().backup();
        String version = backup.version() != null ? backup.version() : latest.get().from();
        conditions.set(Type.RestoreRequested, true, "Restoring", "restoring backup " + backup.database() + " and "
                + "version " + version + " as requested by " + by + "; writes made since " + backup.writesSince()
                + " will be kept only in the replaced database");
        return Optional.of(begin(next.getCurrentVersion(), version, backup, AdminActions.requester(resource)
                .orElse(null), now));
    }

    /** Why the accepted request cannot be carried out here, found before the page goes up. */
    private Optional<ExplicitRestore.Refusal> unusable(ManagedUpgrade resource, HistoryEntry entry, ResolvedSpec spec,
            ReleaseCatalog catalog) {
        BackupStatus backup = entry.backup();
        DatabaseSpec database = resource.getSpec().getDatabase();
        Optional<ExplicitRestore.Refusal> unsupported = RestoreRequest.unsupported(resource, backup);
        if (unsupported.isPresent()) {
            return unsupported;
        }
        if (database == null || database.getAdminSecretRef() == null) {
            return refuse("DatabaseNotConfigured", "spec.actions.restore needs spec.database.adminSecretRef to "
                    + "reach the database");
        }
        String version = backup.version() != null ? backup.version() : entry.from();
        Optional<Release> release = StepRunner.release(new UpgradeInputs(spec, database, null, catalog, false, null),
                version);
        if (release.isEmpty()) {
            return refuse("ReleaseUnavailable", "spec.actions.restore.backup " + backup.database() + " holds the "
                    + "database of " + version + ", which is no longer in the feed: its images are unknown");
        }
        for (ComponentSpec component : spec.components()) {
            if (release.get().images().get(component.getName()) == null) {
                return refuse("ReleaseUnavailable", "release " + version + " of spec.actions.restore.backup "
                        + backup.database() + " has no image for component " + component.getName());
            }
        }
        try {
            Optional<String> missing = backups.missing(resource, database, backup);
            if (missing.isPresent()) {
                return refuse("BackupMissing", "spec.actions.restore.backup " + backup.database() + ": "
                        + missing.get());
            }
        } catch (IllegalArgumentException | DatabaseException e) {
            return refuse("DatabaseUnreachable", "spec.actions.restore: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static UpgradeProgress begin(String from, String version, BackupStatus backup, String requestedBy,
            Instant now) {
        UpgradeProgress progress = new UpgradeProgress();
        progress.setExplicitRestore(true);
        progress.setFrom(from);
        progress.setTo(version);
        progress.setHops(List.of(new HopStatus(version, HopReason.Target, null)));
        Position first = ExplicitRestore.first();
        progress.setStep(first.step());
        progress.setHop(first.hop());
        progress.setStartedAt(now.toString());
        progress.setStepStartedAt(now.toString());
        progress.setCommitted(false);
        progress.setSteps(new ArrayList<>());
        progress.setRequestedBy(requestedBy);
        progress.setBackup(new BackupStatus(backup.method(), backup.database(), backup.job(), backup.file(),
                backup.cloudNativePGBackup(), backup.sizeBytes(), backup.takenAt(), backup.summary(), null, null,
                version, backup.writesSince()));
        return progress;
    }

    private static Optional<ExplicitRestore.Refusal> refuse(String reason, String message) {
        return Optional.of(new ExplicitRestore.Refusal(reason, message));
    }
}
