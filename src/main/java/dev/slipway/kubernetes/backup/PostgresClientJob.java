package dev.slipway.kubernetes.backup;

import dev.slipway.database.BackupNames;
import dev.slipway.database.LibpqTarget;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one-container Job both PgDump directions run (pg_dump for the backup, pg_restore for its restore), and how its
 * end is read. One posture for both: no Kubernetes API token (the client talks to PostgreSQL only), the postgres image's
 * uid 999, every capability dropped, no retry (backoffLimit 0: a failure is reported, not repeated), the claim mounted
 * at {@value #MOUNT} as the working directory, and a one-line summary written to the termination message, which the
 * Pod's status carries back to the operator (on failure the log's tail, terminationMessagePolicy FallbackToLogsOnError).
 */
final class PostgresClientJob {

    /** Where the claim is mounted in the Job's container. */
    static final String MOUNT = PgDumpJob.MOUNT;
    static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";
    /** The label the Job controller puts on a Job's Pods (Kubernetes 1.27+). */
    static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

    private static final int MAX_NAME = 63;
    private static final long POSTGRES_UID = 999;

    /** What one Job runs: its name, container, script, the database its libpq variables point at, and extra env. */
    record Spec(String name, String container, String script, String database, Map<String, String> variables,
            String claim) {
    }

    private PostgresClientJob() {
    }

    /** {@code <resource>-<purpose>-<yyyyMMddHHmmss>}, the resource's name shortened to keep within 63 characters. */
    static String name(String resource, String purpose, Instant at) {
        return name(resource, purpose, BackupNames.timestamp(at));
    }

    static String name(String resource, String purpose, String stamp) {
        String suffix = "-" + purpose + "-" + stamp;
        return resource.substring(0, Math.min(resource.length(), MAX_NAME - suffix.length()))
                .replaceAll("[-.]+$", "") + suffix;
    }

    /** The image asked for, else the postgres image of the server's major version (its clients read that server). */
    static String image(BackupTarget target) {
        // An explicit restore may find spec.database.backup changed since the dump: then the default image restores.
        String image = target.spec() == null || target.spec().getPgDump() == null ? null
                : target.spec().getPgDump().getImage();
        return image != null ? image : "postgres:" + LibpqTarget.serverMajorVersion(target.admin());
    }

    /**
     * Creates the Job unless it exists (an earlier run created it just before it stopped). No owner reference:
     * deleting the ManagedUpgrade must not take the record of its backup or restore.
     */
    static void createOnce(KubernetesClient client, BackupTarget target, Spec spec) {
        LibpqTarget server = LibpqTarget.of(target.admin());
        List<EnvVar> env = new ArrayList<>(List.of(
                value("PGHOST", server.host()),
                value("PGPORT", Integer.toString(server.port())),
                value("PGDATABASE", spec.database()),
                fromSecret("PGUSER", target, "username"),
                fromSecret("PGPASSWORD", target, "password")));
        spec.variables().forEach((name, value) -> env.add(value(name, value)));
        env.add(value(PgDumpJob.SUMMARY_FILE_VARIABLE, TERMINATION_MESSAGE_PATH));
        server.sslMode().ifPresent(mode -> env.add(value("PGSSLMODE", mode)));
        Job job = new JobBuilder()
                .withNewMetadata().withName(spec.name()).withLabels(labels(target)).endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewMetadata().withLabels(labels(target)).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext().withRunAsUser(POSTGRES_UID).withRunAsGroup(POSTGRES_UID)
                .withFsGroup(POSTGRES_UID).withRunAsNonRoot(true).endSecurityContext()
                .addNewContainer()
                .withName(spec.container())
                .withImage(image(target))
                .withCommand("sh", "-c", spec.script())
                .withWorkingDir(MOUNT)
                .withEnv(env)
                .withTerminationMessagePath(TERMINATION_MESSAGE_PATH)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL")
                .endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("backups").withMountPath(MOUNT).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("backups").withNewPersistentVolumeClaim().withClaimName(spec.claim())
                .endPersistentVolumeClaim().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        createIgnoringConflict(() -> client.batch().v1().jobs().inNamespace(target.namespace()).resource(job).create());
    }

    /** How far the Job got: its terminal condition (Complete or Failed) with its Pod's termination message. */
    static BackupProgress progress(KubernetesClient client, String namespace, Job job, String container,
            String running) {
        String name = job.getMetadata().getName();
        if (condition(job, "Complete").isPresent()) {
            return new BackupProgress.Completed(null, terminationMessage(client, namespace, name, container)
                    .orElse("Job " + name + " completed"));
        }
        Optional<JobCondition> failed = condition(job, "Failed");
        if (failed.isPresent()) {
            String output = terminationMessage(client, namespace, name, container).map(text -> ": " + text).orElse("");
            return new BackupProgress.Failed("Job " + name + " failed (" + failed.get().getReason() + ": "
                    + failed.get().getMessage() + ")" + output);
        }
        return new BackupProgress.Running(running);
    }

    /** Labels of the Job and its Pod. */
    static Map<String, String> labels(BackupTarget target) {
        // No app.kubernetes.io/instance: a component's selector could match the Job's Pod and fail the quiesce check.
        return Map.of("app.kubernetes.io/managed-by", "slipway", PgDumpJob.BACKUP_OF_LABEL,
                target.resource().getMetadata().getName());
    }

    /** Creates, treating "already exists" as done: an earlier run created it just before it stopped. */
    static void createIgnoringConflict(Runnable creation) {
        try {
            creation.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }

    /** The termination message of the Job's Pod: the summary line on success, the log's tail on failure. */
    private static Optional<String> terminationMessage(KubernetesClient client, String namespace, String job,
            String container) {
        List<Pod> pods = client.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, job).list().getItems();
        return pods.stream()
                .filter(pod -> pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null)
                .flatMap(pod -> pod.getStatus().getContainerStatuses().stream())
                .filter(status -> container.equals(status.getName()))
                .map(ContainerStatus::getState)
                .filter(state -> state != null && state.getTerminated() != null)
                .map(state -> state.getTerminated())
                .map(ContainerStateTerminated::getMessage)
                .filter(message -> message != null && !message.isBlank())
                .map(String::strip)
                .findFirst();
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar fromSecret(String name, BackupTarget target, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                .withName(target.adminSecretRef().getName()).withKey(key).endSecretKeyRef().endValueFrom().build();
    }
}
