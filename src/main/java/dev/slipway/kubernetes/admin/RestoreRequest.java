package dev.slipway.kubernetes.admin;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.spec.RestoreAction;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.ExplicitRestore;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.kubernetes.backup.BackupRestorer;
import java.util.List;
import java.util.Optional;

/**
 * {@code spec.actions.restore} read against a resource's status: the latest verified backup its history holds and
 * whether a request for it would be refused ({@link ExplicitRestore}). The CLI asks before it writes the request, the
 * operator again before it acts on it (the status may have moved on in between).
 */
public final class RestoreRequest {

    private RestoreRequest() {
    }

    /** The spec change that asks for the restore of {@code backup}, echoing {@code writesSince}. */
    public static SpecChange change(ManagedUpgrade resource, String backup, String writesSince) {
        ActionsSpec actions = resource.getSpec().getActions();
        RestoreAction before = actions == null ? null : actions.getRestore();
        return SpecChange.of(new SpecChange.Field("spec.actions.restore.backup",
                before == null ? null : before.getBackup(), backup),
                new SpecChange.Field("spec.actions.restore.writesSince", before == null ? null : before.getWritesSince(),
                        writesSince));
    }

    /** Why the operator would refuse restoring {@code backup} with {@code writesSince} echoed, given this status. */
    public static Optional<ExplicitRestore.Refusal> refusal(ManagedUpgradeStatus status, String backup,
            String writesSince) {
        UpgradeProgress upgrade = status == null ? null : status.getUpgrade();
        String unfinished = upgrade != null && (upgrade.getResult() == null
                || upgrade.getResult() == UpgradeResult.Failed) ? upgrade.getTo() : null;
        return ExplicitRestore.refusal(backup, writesSince, latestBackup(status).map(entry ->
                new ExplicitRestore.LatestBackup(name(entry.backup()), entry.backup().writesSince(),
                        entry.backup().restoredAt() != null)), unfinished);
    }

    /**
     * Why the operator would refuse restoring {@code backup}, given the resource: {@link #refusal(ManagedUpgradeStatus,
     * String, String)}, then whether Slipway restores backups of the latest one's method at all.
     */
    public static Optional<ExplicitRestore.Refusal> refusal(ManagedUpgrade resource, String backup, String writesSince) {
        return refusal(resource.getStatus(), backup, writesSince).or(() -> latestBackup(resource.getStatus())
                .flatMap(entry -> unsupported(resource, entry.backup())));
    }

    /** The refusal of a backup Slipway does not restore (CloudNativePG), with how to restore it by hand. */
    public static Optional<ExplicitRestore.Refusal> unsupported(ManagedUpgrade resource, BackupStatus backup) {
        if (BackupRestorer.restoredBySlipway(backup.method())) {
            return Optional.empty();
        }
        return Optional.of(new ExplicitRestore.Refusal("RestoreUnsupported", "spec.actions.restore.backup "
                + name(backup) + " was taken with " + backup.method() + "; Slipway restores TemplateClone and PgDump "
                + "backups only" + BackupRestorer.manualProcedure(resource, backup).map(how -> ": " + how).orElse("")));
    }

    /**
     * What {@code spec.actions.restore.backup} names a backup by: its database (TemplateClone; PgDump, whose dump is
     * restored into a database of that name), else its CloudNativePG Backup, so that a request for one is told that
     * Slipway does not restore it, and how to, rather than that it is not the latest.
     */
    public static String name(BackupStatus backup) {
        return backup.database() != null ? backup.database() : backup.cloudNativePGBackup();
    }

    /** The newest history entry with a backup taken and verified. */
    public static Optional<HistoryEntry> latestBackup(ManagedUpgradeStatus status) {
        List<HistoryEntry> history = status == null || status.getHistory() == null ? List.of() : status.getHistory();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).backup() != null && history.get(i).backup().wasTaken()) {
                return Optional.of(history.get(i));
            }
        }
        return Optional.empty();
    }
}
