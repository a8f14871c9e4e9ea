package dev.slipway.kubernetes.backup;

import dev.slipway.api.v1alpha1.spec.CloudNativePgBackupSpec;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.database.BackupNames;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
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
    /** Named by its resource, so reading one needs no discovery (which fails where CloudNativePG is not installed). */
    private static final ResourceDefinitionContext CLUSTERS = new ResourceDefinitionContext.Builder()
            .withGroup("postgresql.cnpg.io").withVersion("v1").withKind("Cluster").withPlural("clusters")
            .withNamespaced(true).build();
    /** CloudNativePG's annotation that hibernates a Cluster (its Pods deleted, the volumes kept). */
    private static final String HIBERNATION_ANNOTATION = "cnpg.io/hibernation";

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
        GenericKubernetesResource cluster = client.genericKubernetesResources(CLUSTERS).inNamespace(target.namespace())
                .withName(cnpg.getCluster()).get();
        if (cluster == null) {
            // CloudNativePG keeps a Backup of an unknown Cluster pending and retries every 30 s: without this check the
            // upgrade would wait behind the page for a backup that never starts.
            return Optional.of(installed() ? "spec.database.backup.cloudNativePG.cluster: there is no CloudNativePG "
                    + "Cluster " + cnpg.getCluster() + " in namespace " + target.namespace()
                    : "spec.database.backup.method CloudNativePG: the API server serves no " + API_VERSION
                            + " Cluster; is CloudNativePG installed?");
        }
        return unmetPrerequisite(cluster, method(cnpg));
    }

    /**
     * Why CloudNativePG would fail a Backup of {@code cluster} by {@code method} at once: the prerequisites its Backup
     * controller checks before it starts (internal/controller/backup_controller.go, checkPrerequisites: not
     * hibernated, a {@code spec.backup} section, and in it the method's own section). Checked here in preflight, they
     * refuse the upgrade before the page goes up rather than after.
     */
    static Optional<String> unmetPrerequisite(GenericKubernetesResource cluster, CloudNativePgBackupSpec.Method method) {
        String name = "CloudNativePG Cluster " + cluster.getMetadata().getName();
        Map<String, String> annotations = cluster.getMetadata().getAnnotations();
        if (annotations != null && "on".equals(annotations.get(HIBERNATION_ANNOTATION))) {
            return Optional.of("spec.database.backup.cloudNativePG.cluster: " + name + " is hibernated ("
                    + HIBERNATION_ANNOTATION + ": on) and CloudNativePG cannot back up a hibernated cluster");
        }
        Map<String, Object> spec = cluster.get("spec");
        Object backup = spec == null ? null : spec.get("backup");
        if (!(backup instanceof Map<?, ?> sections)) {
            return Optional.of("spec.database.backup.cloudNativePG.cluster: " + name + " has no spec.backup section, "
                    + "so CloudNativePG cannot back it up; configure spec.backup." + method.value() + " on the Cluster");
        }
        if (sections.get(method.value()) == null) {
            return Optional.of("spec.database.backup.cloudNativePG.method is " + method.value() + " but " + name
                    + " has no spec.backup." + method.value() + " section, so CloudNativePG would fail the Backup; "
                    + "configure it on the Cluster or choose the method it has");
        }
        return Optional.empty();
    }

    /** Whether the API server serves CloudNativePG's Cluster kind (discovery, which every authenticated user may read). */
    private boolean installed() {
        APIResourceList resources = client.getApiResources(API_VERSION);
        return resources != null && resources.getResources().stream()
                .anyMatch(resource -> CLUSTERS.getPlural().equals(resource.getName()));
    }

    private static CloudNativePgBackupSpec.Method method(CloudNativePgBackupSpec cnpg) {
        return cnpg.getMethod() == null ? CloudNativePgBackupSpec.Method.BarmanObjectStore : cnpg.getMethod();
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
        CloudNativePgBackupSpec.Method method = method(cnpg);
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
