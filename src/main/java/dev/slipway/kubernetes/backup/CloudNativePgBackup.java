package dev.slipway.kubernetes.backup;

import dev.slipway.api.v1alpha1.spec.CloudNativePgBackupSpec;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.database.BackupNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code spec.database.backup.method: CloudNativePG}: a {@code postgresql.cnpg.io/v1} {@code Backup} of the Cluster
 * holding the database, which the CloudNativePG operator takes; done at {@code status.phase: completed}, failed at
 * {@code failed} (its {@code status.error} says why). Restoring it means bootstrapping a new Cluster from it, which
 * is the admin's decision: {@link #restoreProcedure} spells out the commands.
 */
@ApplicationScoped
public class CloudNativePgBackup implements ExternalBackup {

    static final String API_VERSION = "postgresql.cnpg.io/v1";
    static final String KIND = "Backup";

    private static final int MAX_NAME_PREFIX = 200;

    private final KubernetesClient client;

    public CloudNativePgBackup(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<String> misconfiguration(BackupTarget target) {
        CloudNativePgBackupSpec cnpg = target.spec().getCloudNativePG();
        if (cnpg == null || cnpg.getCluster() == null || cnpg.getCluster().isBlank()) {
            return Optional.of("spec.database.backup.cloudNativePG.cluster: method CloudNativePG needs the name of the "
                    + "CloudNativePG Cluster holding the database");
        }
        return Optional.empty();
    }

    @Override
    public BackupStatus named(BackupTarget target, BackupStatus planned, Instant now) {
        String cluster = target.spec().getCloudNativePG().getCluster();
        String prefix = cluster.substring(0, Math.min(cluster.length(), MAX_NAME_PREFIX));
        return planned.namedCloudNativePGBackup(prefix + "-slipway-" + BackupNames.timestamp(now));
    }

    @Override
    public BackupProgress advance(BackupTarget target, BackupStatus named) {
        String name = named.cloudNativePGBackup();
        GenericKubernetesResource backup = backups(target.namespace()).withName(name).get();
        if (backup == null) {
            create(target, name);
            return new BackupProgress.Running("created CloudNativePG Backup " + name);
        }
        Map<String, Object> status = backup.get("status");
        String phase = status == null ? null : (String) status.get("phase");
        if ("completed".equals(phase)) {
            return new BackupProgress.Completed(null, "CloudNativePG Backup " + name + " completed: method "
                    + status.get("method") + ", backupId " + status.get("backupId") + ", stopped at "
                    + status.get("stoppedAt"));
        }
        if ("failed".equals(phase)) {
            return new BackupProgress.Failed("CloudNativePG Backup " + name + " failed: " + status.get("error"));
        }
        return new BackupProgress.Running("waiting for CloudNativePG Backup " + name + " to complete (phase "
                + (phase == null ? "not set yet" : phase) + ")");
    }

    /**
     * The commands that restore {@code backup} by hand: a new Cluster bootstrapped from it (CloudNativePG restores
     * into a new cluster only), after which the application is pointed at that cluster's service.
     */
    public static String restoreProcedure(String namespace, String cluster, String backup) {
        String restored = cluster + "-restored";
        return "to restore CloudNativePG Backup " + backup + ", bootstrap a new Cluster from it: kubectl get cluster "
                + cluster + " -n " + namespace + " -o json | jq '{apiVersion, kind, metadata: {name: \"" + restored
                + "\", namespace: .metadata.namespace}, spec: (.spec | del(.bootstrap) | .bootstrap.recovery.backup.name"
                + " = \"" + backup + "\")}' | kubectl apply -f - && kubectl wait cluster/" + restored + " -n "
                + namespace + " --for=condition=Ready --timeout=30m; then point the application and "
                + "spec.database.adminSecretRef at the service " + restored + "-rw";
    }

    private void create(BackupTarget target, String name) {
        CloudNativePgBackupSpec cnpg = target.spec().getCloudNativePG();
        CloudNativePgBackupSpec.Method method = cnpg.getMethod() == null
                ? CloudNativePgBackupSpec.Method.BarmanObjectStore : cnpg.getMethod();
        // No owner reference: deleting the ManagedUpgrade must not delete the backup.
        GenericKubernetesResource backup = new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION).withKind(KIND)
                .withNewMetadata().withName(name).withNamespace(target.namespace())
                .withLabels(Map.of("app.kubernetes.io/managed-by", "slipway", PgDumpJob.BACKUP_OF_LABEL,
                        target.resource().getMetadata().getName()))
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("cluster", Map.of("name", cnpg.getCluster()),
                        "method", method.value())))
                .build();
        try {
            backups(target.namespace()).resource(backup).create();
        } catch (KubernetesClientException e) {
            // An earlier run created it just before it stopped: that is the backup.
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> backups(String namespace) {
        return client.genericKubernetesResources(API_VERSION, KIND).inNamespace(namespace);
    }
}
