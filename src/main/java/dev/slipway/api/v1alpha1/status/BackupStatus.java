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
        @JsonPropertyDescription("When the backup was taken and verified; absent while it is not.") String takenAt,
        @JsonPropertyDescription("restoreOnFailure: the name the failed database is kept under once the backup takes "
                + "its place, decided before the swap.") String failedDatabase,
        @JsonPropertyDescription("restoreOnFailure: when the backup took the database's place (its name is then the "
                + "database's); absent unless it did.") String restoredAt) {

    /** A backup the upgrade will take before its first migration. */
    public static BackupStatus planned(BackupMethod method) {
        return new BackupStatus(method, null, null, null, null, null);
    }

    public BackupStatus named(String database) {
        return new BackupStatus(method, database, null, null, null, null);
    }

    public BackupStatus taken(long sizeBytes, String takenAt) {
        return new BackupStatus(method, database, sizeBytes, takenAt, null, null);
    }

    public BackupStatus failedAs(String failedDatabase) {
        return new BackupStatus(method, database, sizeBytes, takenAt, failedDatabase, null);
    }

    public BackupStatus restored(String restoredAt) {
        return new BackupStatus(method, database, sizeBytes, takenAt, failedDatabase, restoredAt);
    }

    public boolean wasTaken() {
        return takenAt != null;
    }
}
