package dev.slipway.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the CloudNativePG operator for {@code postgresql.cnpg.io/v1} Backups on the CRUD API server: the Backup CRD
 * (a trimmed copy of CloudNativePG's, test resource {@code cnpg/postgresql.cnpg.io_backups.yaml}) applied, and each
 * Backup moved through the phases CloudNativePG writes to {@code status.phase}: {@code running}, then
 * {@code completed} (with {@code backupId}, {@code method}, {@code startedAt}, {@code stoppedAt}) or {@code failed}
 * with {@code status.error}.
 */
public final class CloudNativePgDouble {

    private static final String API_VERSION = "postgresql.cnpg.io/v1";
    private static final String KIND = "Backup";

    private final KubernetesClient client;

    public CloudNativePgDouble(KubernetesClient client) throws IOException {
        this.client = client;
        for (String kind : List.of("backups", "clusters")) {
            try (InputStream crd = CloudNativePgDouble.class.getResourceAsStream("/cnpg/postgresql.cnpg.io_" + kind
                    + ".yaml")) {
                client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
                        .createOr(NonDeletingOperation::update);
            }
        }
    }

    /**
     * The Cluster {@code name} in {@code namespace}, as an admin declares it, with a {@code spec.backup} section for
     * each of the given methods (barmanObjectStore, volumeSnapshot); none: no {@code spec.backup} at all.
     */
    public GenericKubernetesResource cluster(String namespace, String name, String... backupMethods) {
        Map<String, Object> spec = new LinkedHashMap<>(Map.of("instances", 1));
        if (backupMethods.length > 0) {
            Map<String, Object> backup = new LinkedHashMap<>();
            for (String method : backupMethods) {
                backup.put(method, method.equals("barmanObjectStore")
                        ? Map.of("destinationPath", "s3://backups/" + name) : Map.of("className", "csi-snapshots"));
            }
            spec.put("backup", backup);
        }
        return client.genericKubernetesResources(API_VERSION, "Cluster").inNamespace(namespace)
                .resource(new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind("Cluster")
                        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                        .withAdditionalProperties(Map.of("spec", spec)).build())
                .createOr(NonDeletingOperation::update);
    }

    /** The Cluster {@code shop-db} the shop's backups name, configured for both backup methods. */
    public void shopCluster(String namespace) {
        cluster(namespace, ShopFixture.CLOUD_NATIVE_PG_CLUSTER, "barmanObjectStore", "volumeSnapshot");
    }

    /** The Backups in {@code namespace}. */
    public List<GenericKubernetesResource> backups(String namespace) {
        return client.genericKubernetesResources(API_VERSION, KIND).inNamespace(namespace).list().getItems();
    }

    /** Waits until Slipway created a Backup in {@code namespace}, and returns it. */
    public GenericKubernetesResource awaitBackup(String namespace, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<GenericKubernetesResource> backups = backups(namespace);
            if (!backups.isEmpty()) {
                return backups.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no CloudNativePG Backup was created in " + namespace + " within " + timeout);
    }

    /** {@code status.phase: running}, as CloudNativePG writes once the backup started on an instance. */
    public void running(GenericKubernetesResource backup) {
        writeStatus(backup, Map.of("phase", "running", "startedAt", Instant.now().toString()));
    }

    /** {@code status.phase: completed}, with the outcome's fields. */
    public void completed(GenericKubernetesResource backup, String backupId) {
        Map<String, Object> spec = backup.get("spec");
        writeStatus(backup, Map.of("phase", "completed", "backupId", backupId, "method", spec.get("method"),
                "stoppedAt", Instant.now().toString()));
    }

    /** {@code status.phase: failed} with {@code status.error}. */
    public void failed(GenericKubernetesResource backup, String error) {
        writeStatus(backup, Map.of("phase", "failed", "error", error, "stoppedAt", Instant.now().toString()));
    }

    private void writeStatus(GenericKubernetesResource backup, Map<String, Object> fields) {
        client.genericKubernetesResources(API_VERSION, KIND).inNamespace(backup.getMetadata().getNamespace())
                .withName(backup.getMetadata().getName()).editStatus(latest -> {
                    Map<String, Object> status = latest.get("status") == null ? new LinkedHashMap<>()
                            : new LinkedHashMap<>(latest.<Map<String, Object>>get("status"));
                    status.putAll(fields);
                    latest.setAdditionalProperty("status", status);
                    return latest;
                });
    }
}
