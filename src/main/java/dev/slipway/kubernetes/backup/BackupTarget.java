package dev.slipway.kubernetes.backup;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BackupSpec;
import dev.slipway.api.v1alpha1.spec.SecretRef;
import dev.slipway.database.DbConnection;

/**
 * What an {@link ExternalBackup} backs up: the upgrade's resource, its {@code spec.database.backup}, the admin Secret
 * and the connection read from it, and the version the upgrade starts from.
 */
public record BackupTarget(ManagedUpgrade resource, BackupSpec spec, SecretRef adminSecretRef, DbConnection admin,
        String fromVersion) {

    public String namespace() {
        return resource.getMetadata().getNamespace();
    }
}
