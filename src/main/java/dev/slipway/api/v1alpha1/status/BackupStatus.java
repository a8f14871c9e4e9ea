package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.api.v1alpha1.spec.BackupMethod;

/**
 * The backup of an upgrade: planned when the upgrade begins, named (and checkpointed) before it is taken, complete
 * once {@code takenAt} is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupStatus(
        @JsonPropertyDescription("How the backup is taken.") BackupMethod method,
        @JsonPropertyDescription("The database holding the backup (TemplateClone), decided before it is created.")
        String database,
        @JsonPropertyDescription("Size of the backup database (pg_database_size) in bytes.") Long sizeBytes,
        @JsonPropertyDescription("When the backup was taken and verified; absent while it is not.") String takenAt) {

    /** A backup the upgrade will take before its first migration. */
    public static BackupStatus planned(BackupMethod method) {
        return new BackupStatus(method, null, null, null);
    }

    public BackupStatus named(String database) {
        return new BackupStatus(method, database, null, null);
    }

    public BackupStatus taken(long sizeBytes, String takenAt) {
        return new BackupStatus(method, database, sizeBytes, takenAt);
    }

    public boolean wasTaken() {
        return takenAt != null;
    }
}
