package dev.slipway.kubernetes.backup;

import dev.slipway.api.v1alpha1.status.BackupStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * A backup another controller takes for Slipway (the Job controller runs pg_dump; CloudNativePG takes a Backup). It is
 * taken in two checkpoints: {@link #named} decides the identity of the object, which status records before
 * {@link #advance} creates it; an advance run again finds the object by that name and never creates a second one.
 */
public interface ExternalBackup {

    /** Why {@code spec.database.backup} cannot be taken this way, naming the field; checked in preflight. */
    Optional<String> misconfiguration(BackupTarget target);

    /** The planned backup with its identity decided. */
    BackupStatus named(BackupTarget target, BackupStatus planned, Instant now);

    /** Creates the object if it does not exist yet, and reads how far it got. */
    BackupProgress advance(BackupTarget target, BackupStatus named);
}
