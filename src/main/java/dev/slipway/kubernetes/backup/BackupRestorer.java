package dev.slipway.kubernetes.backup;

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

    /** Why {@code backup} can no longer be restored (what it is kept in is gone), naming what is missing. */
    Optional<String> missing(BackupTarget target, BackupStatus backup);

    /**
     * Brings {@code backup} into the database {@code backup.database()}, verified: Completed once it is ready to take
     * the application's place; Failed when it cannot be, after dropping what the attempt left (the application's
     * database is never touched here).
     */
    BackupProgress prepare(RestoreTarget target, BackupStatus backup);
}
