package dev.slipway.kubernetes.backup;

import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.spec.PgDumpBackupSpec;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.core.ByteSize;
import dev.slipway.database.BackupNames;
import dev.slipway.database.LibpqTarget;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
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
 * {@link PgDumpRestore} restores it; both Jobs are built by {@link PostgresClientJob}.
 */
@ApplicationScoped
public class PgDumpJob implements ExternalBackup {

    /** Where the claim is mounted in the Job's container. */
    public static final String MOUNT = "/backup";
    /** The environment variable naming the file the summary line goes to: the container's termination message. */
    public static final String SUMMARY_FILE_VARIABLE = "SLIPWAY_SUMMARY_FILE";

    /** Names the ManagedUpgrade whose backup a Job, its Pod or a claim holds. */
    public static final String BACKUP_OF_LABEL = "slipway.dev/backup-of";

    private static final String CONTAINER = "pg-dump";
    /*
     * Retention after the dump is whole: PRUNE_FILES names the older dumps spec.database.backup.keep lets go (see
     * prunable); names are [a-z0-9_.] only, so the unquoted list splits safely into files.
     */
    private static final String SCRIPT = """
            set -e
            pg_dump --format=custom --no-password --file="$DUMP_FILE.partial"
            mv "$DUMP_FILE.partial" "$DUMP_FILE"
            for old in $PRUNE_FILES; do rm -f -- "$old"; done
            echo "dumped $(wc -c < "$DUMP_FILE") bytes to $DUMP_FILE${PRUNE_FILES:+; removed older dumps (spec.database.backup.keep): $PRUNE_FILES}" \
             | tee "$SLIPWAY_SUMMARY_FILE"
            """;
    private static final Pattern DUMPED_BYTES = Pattern.compile("dumped (\\d+) bytes");

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
        } catch (IllegalArgumentException e) {
            return Optional.of("spec.database.adminSecretRef: " + e.getMessage());
        }
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(target.namespace())
                .withName(claim(target)).get();
        if (claim == null && pgDump.getClaimName() != null) {
            // The Job's Pod would stay Pending for ever (FailedScheduling: persistentvolumeclaim not found), the
            // upgrade waiting behind the page for a dump that never starts.
            return Optional.of("spec.database.backup.pgDump.claimName: there is no PersistentVolumeClaim "
                    + pgDump.getClaimName() + " in namespace " + target.namespace());
        }
        long capacity = Quantity.getAmountInBytes(claim == null ? new Quantity(pgDump.getStorageSize())
                : capacity(claim)).longValue();
        List<HistoryEntry> history = target.resource().getStatus() == null ? null
                : target.resource().getStatus().getHistory();
        return tooSmall(claim(target), capacity, history, target.spec().effectiveKeep());
    }

    /** What the claim holds: its bound capacity, else what it requests (a claim not bound yet). */
    private static Quantity capacity(PersistentVolumeClaim claim) {
        Quantity bound = claim.getStatus() == null || claim.getStatus().getCapacity() == null ? null
                : claim.getStatus().getCapacity().get("storage");
        return bound != null ? bound : claim.getSpec().getResources().getRequests().get("storage");
    }

    /**
     * Why {@code claim} cannot hold the dumps already on it and a new one, if it cannot: while the new dump is written
     * the {@code keep} newest recorded dumps are still there (retention runs after it), and the new one is taken to be
     * as large as the last. Nothing is known before a first dump, so nothing is refused then.
     */
    static Optional<String> tooSmall(String claim, long capacityBytes, List<HistoryEntry> history, int keep) {
        List<BackupStatus> kept = recordedDumps(history, claim).stream()
                .filter(backup -> backup.sizeBytes() != null)
                .sorted(Comparator.comparing(BackupStatus::takenAt).reversed())
                .limit(keep)
                .toList();
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        long present = kept.stream().mapToLong(BackupStatus::sizeBytes).sum();
        long next = kept.get(0).sizeBytes();
        if (present + next <= capacityBytes) {
            return Optional.empty();
        }
        return Optional.of("spec.database.backup.pgDump: PersistentVolumeClaim " + claim + " holds "
                + ByteSize.text(capacityBytes) + " but the " + kept.size() + " dumps kept on it ("
                + ByteSize.text(present) + ", spec.database.backup.keep " + keep + ") and a new one about as large as "
                + "the last (" + ByteSize.text(next) + ") need " + ByteSize.text(present + next) + ": enlarge the "
                + "claim or lower keep; nothing was changed");
    }

    /** The PgDump backups this ManagedUpgrade's history records as taken on {@code claim}. */
    private static List<BackupStatus> recordedDumps(List<HistoryEntry> history, String claim) {
        return history == null ? List.of() : history.stream().map(HistoryEntry::backup)
                .filter(backup -> backup != null && backup.method() == BackupMethod.PgDump && backup.wasTaken()
                        && backup.file() != null && claimOf(backup.file()).equals(claim))
                .toList();
    }

    @Override
    public BackupStatus named(BackupTarget target, BackupStatus planned, Instant now) {
        String job = PostgresClientJob.name(target.resource().getMetadata().getName(), "backup", now);
        // The backup's name is the one a TemplateClone backup would have: the dump file is named after it, a restore
        // restores into a database of that name, and spec.actions.restore.backup names it (status...backup.database).
        String name = BackupNames.name(LibpqTarget.of(target.admin()).database(), target.fromVersion(), now);
        return planned.namedJob(name, job, claim(target) + ":" + MOUNT + "/" + name + ".dump");
    }

    @Override
    public BackupProgress advance(BackupTarget target, BackupStatus named) {
        Job job = client.batch().v1().jobs().inNamespace(target.namespace()).withName(named.job()).get();
        if (job == null) {
            createClaimIfAsked(target);
            // A failed dump is reported, not retried: the upgrade stops before any migration and says why.
            List<HistoryEntry> history = target.resource().getStatus() == null ? null
                    : target.resource().getStatus().getHistory();
            PostgresClientJob.createOnce(client, target, new PostgresClientJob.Spec(named.job(), CONTAINER, SCRIPT,
                    LibpqTarget.of(target.admin()).database(), Map.of("DUMP_FILE", pathOnClaim(named.file()),
                            "PRUNE_FILES", String.join(" ", prunable(history, named.file(), target.spec().effectiveKeep()))),
                    claim(target)));
            return new BackupProgress.Running("created Job " + named.job() + " running pg_dump");
        }
        BackupProgress progress = PostgresClientJob.progress(client, target.namespace(), job, CONTAINER,
                "waiting for Job " + named.job() + " (pg_dump) to complete");
        if (progress instanceof BackupProgress.Completed completed) {
            Matcher bytes = DUMPED_BYTES.matcher(completed.summary());
            return new BackupProgress.Completed(bytes.find() ? Long.valueOf(bytes.group(1)) : null,
                    completed.summary());
        }
        return progress;
    }

    /**
     * The dumps {@code spec.database.backup.keep} lets go once {@code current} is taken, as paths on the claim: the
     * files of the earlier PgDump backups this ManagedUpgrade recorded in its history on the same claim, all but the
     * newest {@code keep - 1} ({@code current} is the keep-th). Only recorded dumps: a file Slipway did not write, or
     * whose record history no longer holds, is never touched, and neither is the running upgrade's.
     */
    static List<String> prunable(List<HistoryEntry> history, String current, int keep) {
        List<String> earlier = recordedDumps(history, claimOf(current)).stream()
                .filter(backup -> !backup.file().equals(current))
                .sorted(Comparator.comparing(BackupStatus::takenAt))
                .map(backup -> pathOnClaim(backup.file()))
                .distinct()
                .toList();
        return earlier.subList(0, Math.max(0, earlier.size() - (keep - 1)));
    }

    /** {@code <claim>:/backup/<file>} → the claim's name. */
    static String claimOf(String file) {
        return file.substring(0, file.indexOf(':'));
    }

    /** {@code <claim>:/backup/<file>} → the file's path relative to the mount (the container's working directory). */
    static String pathOnClaim(String file) {
        return file.substring(file.indexOf(':') + 1 + MOUNT.length() + 1);
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
        PostgresClientJob.createIgnoringConflict(() -> client.persistentVolumeClaims().inNamespace(target.namespace()).resource(
                new PersistentVolumeClaimBuilder()
                        .withNewMetadata().withName(claim(target)).withLabels(PostgresClientJob.labels(target)).endMetadata()
                        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(pgDump.getStorageClassName())
                        .withNewResources().addToRequests("storage", new Quantity(pgDump.getStorageSize())).endResources()
                        .endSpec().build()).create());
    }

}
