package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonIgnore;
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
        @JsonPropertyDescription("PgDump: the Job that dumps the database, named before it is created.") String job,
        @JsonPropertyDescription("PgDump: the dump file, as <claim>:<path in the Job's container>.") String file,
        @JsonPropertyDescription("CloudNativePG: the postgresql.cnpg.io/v1 Backup, named before it is created.")
        String cloudNativePGBackup,
        @JsonPropertyDescription("Size of the backup in bytes (TemplateClone: pg_database_size of the copy; PgDump: the "
                + "file, as the Job reported it).") Long sizeBytes,
        @JsonPropertyDescription("When the backup was taken and verified; absent while it is not.") String takenAt,
        @JsonPropertyDescription("PgDump: what the Job reported on its way out (its termination message); "
                + "CloudNativePG: the Backup's backupId and method.") String summary,
        @JsonPropertyDescription("restoreOnFailure: the name the failed database is kept under once the backup takes "
                + "its place, decided before the swap.") String failedDatabase,
        @JsonPropertyDescription("restoreOnFailure: when the backup took the database's place (its name is then the "
                + "database's); absent unless it did.") String restoredAt,
        @JsonPropertyDescription("The application version the backed-up database served; a restore rolls the images "
                + "back to it.") String version,
        @JsonPropertyDescription("When traffic went back to the application after the backup: visitors may have "
                + "written since then, and a restore loses those writes. spec.actions.restore must echo this exact "
                + "time. Absent while the maintenance page has stayed up since the backup.") String writesSince) {

    /** A backup the upgrade will take before its first migration. */
    public static BackupStatus planned(BackupMethod method) {
        return new BackupStatus(method, null, null, null, null, null, null, null, null, null, null, null);
    }

    public BackupStatus named(String database) {
        return new BackupStatus(method, database, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * PgDump: {@code database} is the backup's name (as a TemplateClone backup's), which the dump file carries and a
     * restore gives the database it restores the dump into before that takes the application's database's place.
     */
    public BackupStatus namedJob(String database, String job, String file) {
        return new BackupStatus(method, database, job, file, null, null, null, null, null, null, null, null);
    }

    public BackupStatus namedCloudNativePGBackup(String backup) {
        return new BackupStatus(method, null, null, null, backup, null, null, null, null, null, null, null);
    }

    public BackupStatus taken(Long sizeBytes, String takenAt, String summary) {
        return new BackupStatus(method, database, job, file, cloudNativePGBackup, sizeBytes, takenAt, summary, null,
                null, version, null);
    }

    /** The backup of a database that served {@code version}. */
    public BackupStatus ofVersion(String version) {
        return new BackupStatus(method, database, job, file, cloudNativePGBackup, sizeBytes, takenAt, summary,
                failedDatabase, restoredAt, version, writesSince);
    }

    public BackupStatus failedAs(String failedDatabase) {
        return new BackupStatus(method, database, job, file, cloudNativePGBackup, sizeBytes, takenAt, summary,
                failedDatabase, null, version, writesSince);
    }

    public BackupStatus restored(String restoredAt) {
        return new BackupStatus(method, database, job, file, cloudNativePGBackup, sizeBytes, takenAt, summary,
                failedDatabase, restoredAt, version, writesSince);
    }

    /** Traffic went back to the application at {@code writesSince}: writes made since then are not in the backup. */
    public BackupStatus writesSince(String writesSince) {
        return new BackupStatus(method, database, job, file, cloudNativePGBackup, sizeBytes, takenAt, summary,
                failedDatabase, restoredAt, version, writesSince);
    }

    public boolean wasTaken() {
        return takenAt != null;
    }

    /** Whether its identity (database, Job or Backup name) is decided and checkpointed, so it is created only once. */
    @JsonIgnore
    public boolean isNamed() {
        return database != null || job != null || cloudNativePGBackup != null;
    }

    /** Whether traffic returning now is when writes the backup lacks begin: taken, not restored, not marked yet. */
    public boolean needsWritesSince() {
        return wasTaken() && restoredAt == null && writesSince == null;
    }
}
