package dev.slipway.kubernetes.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.spec.CloudNativePgBackupSpec.Method;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CloudNativePG Backup prerequisites Slipway checks in preflight, on Clusters as an admin would declare them. */
class CloudNativePgBackupTest {

    @Test
    void aClusterConfiguringTheMethodMeetsThePrerequisites() {
        assertThat(CloudNativePgBackup.unmetPrerequisite(cluster(Map.of(), Map.of("backup",
                Map.of("volumeSnapshot", Map.of("className", "csi")))), Method.VolumeSnapshot)).isEmpty();
        assertThat(CloudNativePgBackup.unmetPrerequisite(cluster(Map.of("cnpg.io/hibernation", "off"), Map.of("backup",
                Map.of("barmanObjectStore", Map.of("destinationPath", "s3://b")))), Method.BarmanObjectStore)).isEmpty();
    }

    @Test
    void aHibernatedClusterCannotBeBackedUp() {
        assertThat(CloudNativePgBackup.unmetPrerequisite(cluster(Map.of("cnpg.io/hibernation", "on"), Map.of("backup",
                Map.of("volumeSnapshot", Map.of()))), Method.VolumeSnapshot)).hasValue(
                "spec.database.backup.cloudNativePG.cluster: CloudNativePG Cluster shop-db is hibernated "
                        + "(cnpg.io/hibernation: on) and CloudNativePG cannot back up a hibernated cluster");
    }

    @Test
    void aClusterWithoutABackupSectionOrTheMethodsSectionIsNamed() {
        assertThat(CloudNativePgBackup.unmetPrerequisite(cluster(Map.of(), Map.of("instances", 3)),
                Method.BarmanObjectStore)).hasValue("spec.database.backup.cloudNativePG.cluster: CloudNativePG Cluster "
                + "shop-db has no spec.backup section, so CloudNativePG cannot back it up; configure "
                + "spec.backup.barmanObjectStore on the Cluster");
        assertThat(CloudNativePgBackup.unmetPrerequisite(cluster(Map.of(), Map.of("backup",
                Map.of("barmanObjectStore", Map.of("destinationPath", "s3://b")))), Method.VolumeSnapshot)).hasValue(
                "spec.database.backup.cloudNativePG.method is volumeSnapshot but CloudNativePG Cluster shop-db has no "
                        + "spec.backup.volumeSnapshot section, so CloudNativePG would fail the Backup; configure it on "
                        + "the Cluster or choose the method it has");
    }

    private static GenericKubernetesResource cluster(Map<String, String> annotations, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion("postgresql.cnpg.io/v1").withKind("Cluster")
                .withNewMetadata().withName("shop-db").withNamespace("shop").withAnnotations(annotations).endMetadata()
                .withAdditionalProperties(Map.of("spec", spec)).build();
    }
}
