package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** {@code spec.database.backup.pgDump}: where the PgDump Job writes its file, and with which image. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PgDumpBackupSpec {

    @JsonPropertyDescription("The image of the Job's container, which must carry pg_dump (default: postgres:<major "
            + "version of the database server>, whose pg_dump can read that server).")
    private String image;

    @JsonPropertyDescription("An existing PersistentVolumeClaim the dump files are written to (mounted at /backup). "
            + "Give this, or storageSize to have Slipway create the claim <resource>-slipway-backups.")
    private String claimName;

    @JsonPropertyDescription("The size of the PersistentVolumeClaim Slipway creates (ReadWriteOnce) when claimName is "
            + "not given, as a Kubernetes quantity (for example 20Gi). It is kept when the ManagedUpgrade is deleted.")
    private String storageSize;

    @JsonPropertyDescription("The StorageClass of the claim Slipway creates (default: the cluster's default class).")
    private String storageClassName;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getClaimName() {
        return claimName;
    }

    public void setClaimName(String claimName) {
        this.claimName = claimName;
    }

    public String getStorageSize() {
        return storageSize;
    }

    public void setStorageSize(String storageSize) {
        this.storageSize = storageSize;
    }

    public String getStorageClassName() {
        return storageClassName;
    }

    public void setStorageClassName(String storageClassName) {
        this.storageClassName = storageClassName;
    }
}
