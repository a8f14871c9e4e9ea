package dev.slipway.kubernetes.backup;

import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.database.BackupNames;
import dev.slipway.database.TemplateCloner;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restores a {@code method: PgDump} backup: an empty database named {@code backup.database} is created beside the
 * application's (its encoding, locale, owner, database-level grants and settings), then a Job like the dump's
 * ({@link PostgresClientJob}: same image, claim and posture) runs {@code pg_restore} of the dump file into it. Once the
 * Job completed the database is checked (tables, Flyway history at the backed-up schema, grants and settings) before
 * it may take the application's place.
 *
 * <p>Crash-safe without a status field of its own: the Job's name, {@code <resource>-restore-<stamp>}, follows from
 * the stamp of {@code backup.failedDatabase}, which the Restore step checkpoints before calling here. No Job of that
 * name: nothing was restored yet, so the database is (re)created empty and the Job created. A Job: it is waited on,
 * never created twice. A failed Job or an unfit result: the half-restored database is dropped (the application's
 * database was never touched) and the Job is kept for its logs; the caller clears {@code failedDatabase}, so that a
 * retry restores afresh under a new Job name.
 */
@ApplicationScoped
public class PgDumpRestore implements BackupRestorer {

    private static final String CONTAINER = "pg-restore";
    /*
     * Neither --no-owner nor --no-privileges: the dump records each object's owner and GRANTs, and restoring it as the
     * admin role that took it gives them back as they were, so the application's roles own and reach their objects as
     * before. With --no-owner every object would belong to the admin role, and migrations run as an application role
     * that owned its tables would fail. So the admin role must be allowed to give objects to their owners (superuser,
     * or a member of each owning role); if it is not, --exit-on-error stops at the first refused ALTER ... OWNER and
     * the Job fails saying so. No --create: the database is created beforehand, with the source's settings.
     */
    private static final String SCRIPT = """
            set -e
            pg_restore --no-password --exit-on-error --dbname="$PGDATABASE" "$DUMP_FILE"
            echo "restored $DUMP_FILE ($(wc -c < "$DUMP_FILE") bytes) into database $PGDATABASE" \
             | tee "$SLIPWAY_SUMMARY_FILE"
            """;

    private final KubernetesClient client;

    public PgDumpRestore(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<String> missing(BackupTarget target, BackupStatus backup) {
        String claim = PgDumpJob.claimOf(backup.file());
        return client.persistentVolumeClaims().inNamespace(target.namespace()).withName(claim).get() != null
                ? Optional.empty()
                : Optional.of("the PersistentVolumeClaim " + claim + " holding its dump " + backup.file()
                        + " no longer exists");
    }

    @Override
    public BackupProgress prepare(RestoreTarget restore, BackupStatus backup) {
        BackupTarget target = restore.target();
        String database = backup.database();
        String name = jobName(target.resource().getMetadata().getName(), backup.failedDatabase());
        TemplateCloner server = new TemplateCloner(target.admin());
        Job job = client.batch().v1().jobs().inNamespace(target.namespace()).withName(name).get();
        if (job == null) {
            server.createEmptyLike(database);
            PostgresClientJob.createOnce(client, target, new PostgresClientJob.Spec(name, CONTAINER, SCRIPT, database,
                    Map.of("DUMP_FILE", PgDumpJob.pathOnClaim(backup.file())), PgDumpJob.claimOf(backup.file())));
            return new BackupProgress.Running("created database " + database + " and Job " + name
                    + " running pg_restore of " + backup.file());
        }
        BackupProgress progress = PostgresClientJob.progress(client, target.namespace(), job, CONTAINER,
                "waiting for Job " + name + " (pg_restore of " + backup.file() + " into " + database + ") to complete");
        if (progress instanceof BackupProgress.Failed failed) {
            server.drop(database);
            return new BackupProgress.Failed(failed.message() + "; the half-restored database " + database
                    + " was dropped");
        }
        if (progress instanceof BackupProgress.Completed completed) {
            if (!server.exists(database)) {
                return new BackupProgress.Failed("Job " + name + " completed but database " + database + ", which "
                        + "it restored into, no longer exists");
            }
            List<String> problems = server.restoreProblems(database, restore.flywaySchema(), restore.schemaVersion());
            if (!problems.isEmpty()) {
                server.drop(database);
                return new BackupProgress.Failed("Job " + name + " completed (" + completed.summary() + ") but the "
                        + "restored database is not the backup: " + String.join("; ", problems) + "; database "
                        + database + " was dropped");
            }
        }
        return progress;
    }

    /** {@code <resource>-restore-<stamp of the failed database's name>}: one Job per restore attempt. */
    static String jobName(String resource, String failedDatabase) {
        return PostgresClientJob.name(resource, "restore", BackupNames.stamp(failedDatabase));
    }
}
