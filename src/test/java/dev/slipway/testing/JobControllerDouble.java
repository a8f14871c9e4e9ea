package dev.slipway.testing;

import dev.slipway.kubernetes.backup.PgDumpJob;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Plays the Job controller and the kubelet for Slipway's PgDump Jobs (the backup's pg_dump and the restore's
 * pg_restore) on the CRUD API server: it runs the Job's container command on this machine (the image's
 * {@code pg_dump} and {@code pg_restore} being the installed PostgreSQL 15's), with the
 * container's environment resolved as the kubelet resolves it (values, and {@code secretKeyRef}s read from the
 * Secret), the claim's mount being a directory here and the termination-message file one the double reads back.
 * Then it writes what the controllers would: a Pod of the Job (label {@code batch.kubernetes.io/job-name}) in phase
 * Succeeded or Failed with its container's termination message, and the Job's status, as documented in
 * https://kubernetes.io/docs/concepts/workloads/controllers/job/#terminal-job-conditions and the JobStatus reference
 * (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/#JobStatus): on success
 * {@code succeeded: 1} with conditions {@code SuccessCriteriaMet} then {@code Complete}; on failure {@code failed: 1}
 * with {@code FailureTarget} then {@code Failed} (reason {@code BackoffLimitExceeded}, the Job's backoffLimit being 0).
 */
public final class JobControllerDouble {

    /** The PostgreSQL client binaries the container's {@code pg_dump} stands for. */
    public static final Path POSTGRES_BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final KubernetesClient client;
    private final Path claim;

    /** @param claim the directory standing for the PersistentVolumeClaim the Job mounts */
    public JobControllerDouble(KubernetesClient client, Path claim) {
        this.client = client;
        this.claim = claim;
    }

    /** What one run of the Job's container did. */
    public record Run(int exitCode, String output, String terminationMessage) {
    }

    /** Waits until Slipway created a Job in {@code namespace}, and returns it. */
    public Job awaitJob(String namespace, Duration timeout) throws InterruptedException {
        return awaitJob(namespace, job -> true, timeout);
    }

    /** Waits until Slipway created a Job in {@code namespace} that {@code wanted} accepts, and returns it. */
    public Job awaitJob(String namespace, Predicate<Job> wanted, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<Job> job = client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                    .filter(wanted).findFirst();
            if (job.isPresent()) {
                return job.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such Job was created in " + namespace + " within " + timeout);
    }

    /** Whether the Job's name begins {@code <resource>-<purpose>-}: the backup's or the restore's Job. */
    public static Predicate<Job> named(String prefix) {
        return job -> job.getMetadata().getName().startsWith(prefix);
    }

    /** Runs the Job's container here and completes the Job as the controllers would, by its exit code. */
    public Run runToCompletion(Job job) throws IOException, InterruptedException {
        Run run = execute(job);
        finish(job, run);
        return run;
    }

    /** Runs the container's command with its environment and working directory mapped onto this machine. */
    public Run execute(Job job) throws IOException, InterruptedException {
        requireClaims(job);
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        Path terminationLog = Files.createTempFile("termination-log", "");
        try {
            ProcessBuilder process = new ProcessBuilder(container.getCommand()).directory(claim.toFile())
                    .redirectErrorStream(true);
            Map<String, String> environment = process.environment();
            environment.put("PATH", POSTGRES_BIN + ":" + environment.getOrDefault("PATH", "/usr/bin:/bin"));
            for (EnvVar variable : container.getEnv()) {
                environment.put(variable.getName(), value(job.getMetadata().getNamespace(), variable));
            }
            // The kubelet mounts the termination-message file at terminationMessagePath; here it is a temporary file.
            environment.put(PgDumpJob.SUMMARY_FILE_VARIABLE, terminationLog.toString());
            Process started = process.start();
            String output = new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exitCode = started.waitFor();
            String message = Files.readString(terminationLog);
            // terminationMessagePolicy FallbackToLogsOnError: a failed container with no message reports its log.
            if (message.isBlank() && exitCode != 0 && "FallbackToLogsOnError".equals(
                    container.getTerminationMessagePolicy())) {
                message = output;
            }
            return new Run(exitCode, output, message);
        } finally {
            Files.deleteIfExists(terminationLog);
        }
    }

    /**
     * No Pod starts whose PersistentVolumeClaim is missing: the scheduler keeps it Pending ("persistentvolumeclaim not
     * found", https://kubernetes.io/docs/concepts/storage/persistent-volumes/#claims-as-volumes), so its command never
     * runs; a test that gets here would run what a cluster never does.
     */
    private void requireClaims(Job job) {
        String namespace = job.getMetadata().getNamespace();
        job.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> volume.getPersistentVolumeClaim() != null)
                .map(volume -> volume.getPersistentVolumeClaim().getClaimName())
                .filter(claimName -> client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get()
                        == null)
                .findFirst().ifPresent(claimName -> {
                    throw new IllegalStateException("Job " + job.getMetadata().getName() + "'s Pod would stay Pending: "
                            + "there is no PersistentVolumeClaim " + claimName + " in namespace " + namespace);
                });
    }

    /** Writes the Job's Pod, terminated as {@code run} ended, and the Job's terminal status. */
    public void finish(Job job, Run run) throws InterruptedException {
        String namespace = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        boolean succeeded = run.exitCode() == 0;
        Pod pod = client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name + "-x7k2p").withNamespace(namespace)
                .addToLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .addToLabels("batch.kubernetes.io/job-name", name).addToLabels("job-name", name)
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build()).create();
        String now = Instant.now().toString();
        String container = job.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
        pod.setStatus(new PodStatusBuilder()
                .withPhase(succeeded ? "Succeeded" : "Failed")
                .addNewContainerStatus().withName(container).withReady(false).withRestartCount(0)
                .withImage(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .withNewState().withNewTerminated().withExitCode(run.exitCode())
                .withReason(succeeded ? "Completed" : "Error").withMessage(run.terminationMessage())
                .withFinishedAt(now).endTerminated().endState()
                .endContainerStatus()
                .build());
        writePodStatusUntilItHolds(pod);
        List<JobCondition> conditions = new ArrayList<>();
        if (succeeded) {
            conditions.add(condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of "
                    + "succeeded pods", now));
            conditions.add(condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods",
                    now));
        } else {
            conditions.add(condition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff "
                    + "limit", now));
            conditions.add(condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit",
                    now));
        }
        client.batch().v1().jobs().inNamespace(namespace).withName(name).editStatus(latest -> {
            latest.setStatus(new JobStatusBuilder().withStartTime(now).withSucceeded(succeeded ? 1 : 0)
                    .withFailed(succeeded ? 0 : 1).withActive(0).withCompletionTime(succeeded ? now : null)
                    .withConditions(conditions).build());
            return latest;
        });
    }

    /** The simulated kubelet may still be writing a Running status it read before the Pod finished: write again. */
    private void writePodStatusUntilItHolds(Pod pod) throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .editStatus(latest -> {
                            latest.setStatus(pod.getStatus());
                            return latest;
                        });
            } catch (KubernetesClientException e) {
                // The simulated kubelet wrote in between: 409 Conflict on the resourceVersion read (optimistic
                // concurrency, https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions). Read
                // and write again, as a real kubelet's status manager does on a conflict.
                if (e.getCode() != 409) {
                    throw e;
                }
            }
            Thread.sleep(200);
            Pod now = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .get();
            if (pod.getStatus().getPhase().equals(now.getStatus().getPhase())) {
                return;
            }
        }
        throw new AssertionError("the Pod's terminal status did not hold: " + pod.getMetadata().getName());
    }

    private static JobCondition condition(String type, String reason, String message, String now) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastProbeTime(now).withLastTransitionTime(now).build();
    }

    private String value(String namespace, EnvVar variable) {
        if (variable.getValueFrom() == null) {
            return variable.getValue();
        }
        var reference = variable.getValueFrom().getSecretKeyRef();
        Secret secret = client.secrets().inNamespace(namespace).withName(reference.getName()).get();
        if (secret.getStringData() != null && secret.getStringData().containsKey(reference.getKey())) {
            return secret.getStringData().get(reference.getKey());
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(reference.getKey())), StandardCharsets.UTF_8);
    }
}
