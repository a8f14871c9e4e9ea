package dev.slipway.kubernetes.backup;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.spec.BackupSpec;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import java.util.Optional;

/**
 * Restores the backups of one {@code spec.database.backup.method}. A restore puts the backup into a database beside the
 * application's, named {@code status...backup.database}; the caller then swaps the names in one transaction
 * ({@link dev.slipway.database.TemplateCloner#restoreFrom}), the same for every method. {@link #prepare} may take
 * several calls (a Job to wait for): run again, after a stop as well, it tells from what exists how far it got and
 * never starts the same work twice.
 */
public interface BackupRestorer {

    /**
     * Whether Slipway restores backups of {@code method} (one of its restorers does): a CloudNativePG Backup is
     * restored into a new Cluster, the admin's call ({@link #manualProcedure}).
     */
    static boolean restoredBySlipway(BackupMethod method) {
        return method == BackupMethod.TemplateClone || method == BackupMethod.PgDump;
    }

    /** How to restore {@code backup} by hand, when Slipway does not: the commands for a CloudNativePG Backup. */
    static Optional<String> manualProcedure(ManagedUpgrade resource, BackupStatus backup) {
        if (backup == null || !backup.wasTaken() || backup.method() != BackupMethod.CloudNativePG) {
            return Optional.empty();
        }
        BackupSpec spec = resource.getSpec().getDatabase() == null ? null : resource.getSpec().getDatabase().getBackup();
        // spec.database.backup may have changed since (an explicit restore comes later): then the cluster is unknown.
        String cluster = spec == null || spec.getCloudNativePG() == null ? "<cluster>"
                : spec.getCloudNativePG().getCluster();
        return Optional.of(CloudNativePgBackup.restoreProcedure(resource.getMetadata().getNamespace(), cluster,
                backup.cloudNativePGBackup()));
    }

    /** Why {@code backup} can no longer be restored (what it is kept in is gone), naming what is missing. */
    Optional<String> missing(BackupTarget target, BackupStatus backup);

    /**
     * Brings {@code backup} into the database {@code backup.database()}, verified: Completed once it is ready to take
     * the application's place; Failed when it cannot be, after dropping what the attempt left (the application's
     * database is never touched here).
     */
    BackupProgress prepare(RestoreTarget target, BackupStatus backup);
}
