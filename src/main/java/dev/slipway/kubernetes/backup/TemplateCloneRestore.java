package dev.slipway.kubernetes.backup;

import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.database.TemplateCloner;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** {@code method: TemplateClone}: the backup is a verified copy beside the database already; nothing to prepare. */
@ApplicationScoped
public class TemplateCloneRestore implements BackupRestorer {

    @Override
    public Optional<String> missing(BackupTarget target, BackupStatus backup) {
        return new TemplateCloner(target.admin()).exists(backup.database()) ? Optional.empty()
                : Optional.of("database " + backup.database() + " no longer exists on the database server");
    }

    @Override
    public BackupProgress prepare(RestoreTarget target, BackupStatus backup) {
        return new BackupProgress.Completed(null, null);
    }
}
