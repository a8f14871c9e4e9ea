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

    @JsonPropertyDescription("None (default), or TemplateClone: CREATE DATABASE <db>_slipway_<from>_<yyyyMMddHHmmss> "
            + "TEMPLATE <db> while the application is quiesced, before the first migration of an upgrade that has one. "
            + "The admin role needs CREATEDB and must own the database (or be superuser).")
    @Default("None")
    private BackupMethod method;

    @JsonPropertyDescription("How many backups of this database to keep (default 3); older <db>_slipway_* databases "
            + "are dropped after a new backup, never the one of the running upgrade.")
    @Default("3")
    @Min(1)
    private Integer keep;

    @JsonPropertyDescription("When a hop that committed fails while the maintenance page has stayed up since the "
            + "backup (no visitor could write since), put the backup back instead of holding behind the page: "
            + "TemplateClone renames the migrated database aside and the backup into its place in one transaction, "
            + "then the previous images run again (RolledBack). Default false.")
    private Boolean restoreOnFailure;

    public BackupMethod getMethod() {
        return method;
    }

    public void setMethod(BackupMethod method) {
        this.method = method;
    }

    public Integer getKeep() {
        return keep;
    }

    public void setKeep(Integer keep) {
        this.keep = keep;
    }

    public Boolean getRestoreOnFailure() {
        return restoreOnFailure;
    }

    public void setRestoreOnFailure(Boolean restoreOnFailure) {
        this.restoreOnFailure = restoreOnFailure;
    }
}
