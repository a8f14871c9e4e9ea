package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** {@code spec.database.backup.cloudNativePG}: the CloudNativePG Cluster to back up, and how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CloudNativePgBackupSpec {

    /** The methods of a CloudNativePG Backup ({@code spec.method}) Slipway asks for. */
    public enum Method {
        @JsonProperty("barmanObjectStore")
        BarmanObjectStore,
        @JsonProperty("volumeSnapshot")
        VolumeSnapshot;

        /** The value CloudNativePG's Backup resource takes. */
        public String value() {
            return this == BarmanObjectStore ? "barmanObjectStore" : "volumeSnapshot";
        }
    }

    @JsonPropertyDescription("The name of the CloudNativePG Cluster (postgresql.cnpg.io/v1) holding the database, in "
            + "the ManagedUpgrade's namespace.")
    @Required
    private String cluster;

    @JsonPropertyDescription("barmanObjectStore (default) or volumeSnapshot: the Backup's spec.method; the Cluster "
            + "must configure it (spec.backup.barmanObjectStore or spec.backup.volumeSnapshot).")
    @Default("barmanObjectStore")
    private Method method;

    public String getCluster() {
        return cluster;
    }

    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public Method getMethod() {
        return method;
    }

    public void setMethod(Method method) {
        this.method = method;
    }
}
