package dev.slipway.kubernetes.backup;

import dev.slipway.api.v1alpha1.spec.PgDumpBackupSpec;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.database.BackupNames;
import dev.slipway.database.LibpqTarget;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code spec.database.backup.method: PgDump}: a Job whose one container runs {@code pg_dump --format=custom} into
 * a file on a PersistentVolumeClaim (mounted at {@value #MOUNT}, the container's working directory) and writes one
 * line, "dumped N bytes to FILE", to its termination message, which the Pod's status carries back to the operator.
 * The file is written under a temporary name and renamed once complete, so a file of that name is a whole dump.
 */
@ApplicationScoped
public class PgDumpJob implements ExternalBackup {

    /** Where the claim is mounted in the Job's container. */
    public static final String MOUNT = "/backup";
    /** The environment variable naming the file the summary line goes to: the container's termination message. */
    public static final String SUMMARY_FILE_VARIABLE = "SLIPWAY_SUMMARY_FILE";
    static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";
    /** The label the Job controller puts on a Job's Pods (Kubernetes 1.27+). */
    static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

    /** Names the ManagedUpgrade whose backup a Job, its Pod or a claim holds. */
    public static final String BACKUP_OF_LABEL = "slipway.dev/backup-of";

    private static final String CONTAINER = "pg-dump";
    private static final String SCRIPT = """
            set -e
            pg_dump --format=custom --no-password --file="$DUMP_FILE.partial"
            mv "$DUMP_FILE.partial" "$DUMP_FILE"
            echo "dumped $(wc -c < "$DUMP_FILE") bytes to $DUMP_FILE" | tee "$SLIPWAY_SUMMARY_FILE"
            """;
    private static final Pattern DUMPED_BYTES = Pattern.compile("dumped (\\d+) bytes");
    private static final int MAX_NAME = 63;
    private static final long POSTGRES_UID = 999;

    private final KubernetesClient client;

    public PgDumpJob(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<String> misconfiguration(BackupTarget target) {
        PgDumpBackupSpec pgDump = target.spec().getPgDump();
        if (pgDump == null || (pgDump.getClaimName() == null && pgDump.getStorageSize() == null)) {
            return Optional.of("spec.database.backup.pgDump: method PgDump needs claimName (an existing "
                    + "PersistentVolumeClaim) or storageSize (a claim Slipway creates)");
        }
        if (pgDump.getClaimName() == null) {
            try {
                Quantity.getAmountInBytes(new Quantity(pgDump.getStorageSize()));
            } catch (IllegalArgumentException e) {
                return Optional.of("spec.database.backup.pgDump.storageSize: '" + pgDump.getStorageSize()
                        + "' is not a Kubernetes quantity (for example 20Gi)");
            }
        }
        try {
            LibpqTarget.of(target.admin());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("spec.database.adminSecretRef: " + e.getMessage());
        }
    }

    @Override
    public BackupStatus named(BackupTarget target, BackupStatus planned, Instant now) {
        String resource = target.resource().getMetadata().getName();
        String suffix = "-backup-" + BackupNames.timestamp(now);
        String job = resource.substring(0, Math.min(resource.length(), MAX_NAME - suffix.length()))
                .replaceAll("[-.]+$", "") + suffix;
        String file = BackupNames.name(LibpqTarget.of(target.admin()).database(), target.fromVersion(), now) + ".dump";
        return planned.namedJob(job, claim(target) + ":" + MOUNT + "/" + file);
    }

    @Override
    public BackupProgress advance(BackupTarget target, BackupStatus named) {
        Job job = client.batch().v1().jobs().inNamespace(target.namespace()).withName(named.job()).get();
        if (job == null) {
            createClaimIfAsked(target);
            createOrFind(target, named);
            return new BackupProgress.Running("created Job " + named.job() + " running pg_dump");
        }
        if (hasCondition(job, "Complete")) {
            String summary = terminationMessage(target.namespace(), named.job()).orElse("Job " + named.job()
                    + " completed");
            Matcher bytes = DUMPED_BYTES.matcher(summary);
            return new BackupProgress.Completed(bytes.find() ? Long.valueOf(bytes.group(1)) : null, summary);
        }
        Optional<JobCondition> failed = condition(job, "Failed");
        if (failed.isPresent()) {
            String output = terminationMessage(target.namespace(), named.job()).map(text -> ": " + text).orElse("");
            return new BackupProgress.Failed("Job " + named.job() + " failed (" + failed.get().getReason() + ": "
                    + failed.get().getMessage() + ")" + output);
        }
        return new BackupProgress.Running("waiting for Job " + named.job() + " (pg_dump) to complete");
    }

    /** The claim the dump goes to: the one named, else the one Slipway creates for this resource. */
    private static String claim(BackupTarget target) {
        String named = target.spec().getPgDump().getClaimName();
        return named != null ? named : target.resource().getMetadata().getName() + "-slipway-backups";
    }

    /** The claim outlives the ManagedUpgrade (no owner reference): it holds the backups. */
    private void createClaimIfAsked(BackupTarget target) {
        PgDumpBackupSpec pgDump = target.spec().getPgDump();
        if (pgDump.getClaimName() != null || client.persistentVolumeClaims().inNamespace(target.namespace())
                .withName(claim(target)).get() != null) {
            return;
        }
        create(() -> client.persistentVolumeClaims().inNamespace(target.namespace()).resource(
                new PersistentVolumeClaimBuilder()
                        .withNewMetadata().withName(claim(target)).withLabels(labels(target)).endMetadata()
                        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(pgDump.getStorageClassName())
                        .withNewResources().addToRequests("storage", new Quantity(pgDump.getStorageSize())).endResources()
                        .endSpec().build()).create());
    }

    /** The Job, without an owner reference either: deleting the ManagedUpgrade must not take its backup's record. */
    private void createOrFind(BackupTarget target, BackupStatus named) {
        String file = named.file().substring(named.file().indexOf(':') + 1 + MOUNT.length() + 1);
        LibpqTarget database = LibpqTarget.of(target.admin());
        List<EnvVar> env = new ArrayList<>(List.of(
                value("PGHOST", database.host()),
                value("PGPORT", Integer.toString(database.port())),
                value("PGDATABASE", database.database()),
                fromSecret("PGUSER", target, "username"),
                fromSecret("PGPASSWORD", target, "password"),
                value("DUMP_FILE", file),
                value(SUMMARY_FILE_VARIABLE, TERMINATION_MESSAGE_PATH)));
        database.sslMode().ifPresent(mode -> env.add(value("PGSSLMODE", mode)));
        Job job = new JobBuilder()
                .withNewMetadata().withName(named.job()).withLabels(labels(target)).endMetadata()
                .withNewSpec()
                // A failed dump is reported, not retried: the upgrade stops before any migration and says why.
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewMetadata().withLabels(labels(target)).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                // pg_dump talks to PostgreSQL only: no Kubernetes API token in the Pod.
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext().withRunAsUser(POSTGRES_UID).withRunAsGroup(POSTGRES_UID)
                .withFsGroup(POSTGRES_UID).withRunAsNonRoot(true).endSecurityContext()
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(image(target))
                .withCommand("sh", "-c", SCRIPT)
                .withWorkingDir(MOUNT)
                .withEnv(env)
                .withTerminationMessagePath(TERMINATION_MESSAGE_PATH)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL")
                .endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("backups").withMountPath(MOUNT).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("backups").withNewPersistentVolumeClaim().withClaimName(claim(target))
                .endPersistentVolumeClaim().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        create(() -> client.batch().v1().jobs().inNamespace(target.namespace()).resource(job).create());
    }

    /** The image asked for, else the postgres image of the server's major version (pg_dump reads older servers only). */
    private static String image(BackupTarget target) {
        String image = target.spec().getPgDump().getImage();
        return image != null ? image : "postgres:" + LibpqTarget.serverMajorVersion(target.admin());
    }

    /** The termination message of the Job's Pod: the summary line on success, the log's tail on failure. */
    private Optional<String> terminationMessage(String namespace, String job) {
        List<Pod> pods = client.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, job).list().getItems();
        return pods.stream()
                .filter(pod -> pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null)
                .flatMap(pod -> pod.getStatus().getContainerStatuses().stream())
                .filter(status -> CONTAINER.equals(status.getName()))
                .map(ContainerStatus::getState)
                .filter(state -> state != null && state.getTerminated() != null)
                .map(state -> state.getTerminated())
                .map(ContainerStateTerminated::getMessage)
                .filter(message -> message != null && !message.isBlank())
                .map(String::strip)
                .findFirst();
    }

    private static boolean hasCondition(Job job, String type) {
        return condition(job, type).isPresent();
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    private static Map<String, String> labels(BackupTarget target) {
        // No app.kubernetes.io/instance: a component's selector could match the dump's Pod and fail the quiesce check.
        return Map.of("app.kubernetes.io/managed-by", "slipway", BACKUP_OF_LABEL,
                target.resource().getMetadata().getName());
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar fromSecret(String name, BackupTarget target, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                .withName(target.adminSecretRef().getName()).withKey(key).endSecretKeyRef().endValueFrom().build();
    }

    /** Creates, treating "already exists" as done: an earlier run created it just before it stopped. */
    private static void create(Runnable creation) {
        try {
            creation.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }
}
