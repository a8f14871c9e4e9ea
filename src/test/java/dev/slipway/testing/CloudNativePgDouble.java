package dev.slipway.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
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
        try (InputStream crd = CloudNativePgDouble.class.getResourceAsStream("/cnpg/postgresql.cnpg.io_backups.yaml")) {
            client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
                    .createOr(NonDeletingOperation::update);
        }
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
