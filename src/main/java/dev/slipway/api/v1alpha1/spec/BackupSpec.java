package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** A backup of the application's database before an upgrade's first migration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupSpec {

    /** Backups of one database kept when {@code keep} is not given. */
    public static final int DEFAULT_KEEP = 3;

    @JsonPropertyDescription("None (default); TemplateClone: CREATE DATABASE <db>_slipway_<from>_<yyyyMMddHHmmss> "
            + "TEMPLATE <db> while the application is quiesced, before the first migration of an upgrade that has one "
            + "(the admin role needs CREATEDB and must own the database, or be superuser); PgDump: a Job running "
            + "pg_dump -Fc to a PersistentVolumeClaim (see pgDump); CloudNativePG: a Backup of the CloudNativePG "
            + "Cluster (see cloudNativePG).")
    @Default("None")
    private BackupMethod method;

    @JsonPropertyDescription("How many backups of this database to keep (default 3); older <db>_slipway_* databases "
            + "are dropped after a new backup, never the one of the running upgrade.")
    @Default("3")
    @Min(1)
    private Integer keep;

    @JsonPropertyDescription("The largest database (pg_database_size, bytes) to back up: a larger one stops the upgrade "
            + "in preflight, before the maintenance page goes up. A TemplateClone copy needs as much free space again "
            + "on the database server, which SQL cannot see: set this to what the server's disk can hold. No limit when "
            + "not given.")
    @Min(1)
    private Long maxSizeBytes;

    @JsonPropertyDescription("TemplateClone: when a migration fails after an earlier hop committed, put the verified "
            + "backup back in the database's place (the failed database is kept as <db>_slipway_failed_<time>) and roll "
            + "back images, replicas and traffic. Only then: the application is quiesced and the maintenance page has "
            + "stayed up since the backup, so no visitor's write is lost. Default false: held behind the page.")
    private Boolean restoreOnFailure;

    @JsonPropertyDescription("method PgDump: the claim the dump is written to and the Job's image.")
    private PgDumpBackupSpec pgDump;

    @JsonPropertyDescription("method CloudNativePG: the Cluster to back up and the Backup's method.")
    private CloudNativePgBackupSpec cloudNativePG;

    public PgDumpBackupSpec getPgDump() {
        return pgDump;
    }

    public void setPgDump(PgDumpBackupSpec pgDump) {
        this.pgDump = pgDump;
    }

    public CloudNativePgBackupSpec getCloudNativePG() {
        return cloudNativePG;
    }

    public void setCloudNativePG(CloudNativePgBackupSpec cloudNativePG) {
        this.cloudNativePG = cloudNativePG;
    }

    public Boolean getRestoreOnFailure() {
        return restoreOnFailure;
    }

    public void setRestoreOnFailure(Boolean restoreOnFailure) {
        this.restoreOnFailure = restoreOnFailure;
    }

    public Long getMaxSizeBytes() {
        return maxSizeBytes;
    }

    public void setMaxSizeBytes(Long maxSizeBytes) {
        this.maxSizeBytes = maxSizeBytes;
    }

    public BackupMethod getMethod() {
        return method;
    }

    public void setMethod(BackupMethod method) {
        this.method = method;
    }

    public Integer getKeep() {
        return keep;
    }

    /** {@link #getKeep()} as the operator applies it: the default when not given, at least 1. */
    public int effectiveKeep() {
        return keep == null ? DEFAULT_KEEP : Math.max(1, keep);
    }

    public void setKeep(Integer keep) {
        this.keep = keep;
    }
}
