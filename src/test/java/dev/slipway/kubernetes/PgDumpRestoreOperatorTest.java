package dev.slipway.kubernetes;

import static dev.slipway.testing.SqlRows.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.spec.BackupSpec;
import dev.slipway.api.v1alpha1.spec.RestoreAction;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.database.BackupNames;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.testing.ClaimDirectory;
import dev.slipway.testing.JobControllerDouble;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.PostgresServer;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restoring a {@code spec.database.backup.method: PgDump} backup on the CRUD API server with a real PostgreSQL: the
 * {@link JobControllerDouble} runs the backup Job's pg_dump and the restore Job's pg_restore with the installed
 * binaries, a temporary directory standing for the claim both mount.
 */
@QuarkusTest
@WithKubernetesTestServer
class PgDumpRestoreOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final String ORDERS = "SELECT id, customer, total_cents FROM orders ORDER BY id";
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
    private SimulatedKubelet kubelet;
    private ShopFixture shop;
    private ClaimDirectory claim;

    @BeforeEach
    void startKubelet() throws Exception {
        kubelet = new SimulatedKubelet(client).start();
        claim = ClaimDirectory.create();
    }

    @AfterEach
    void stop() throws Exception {
        kubelet.close();
        if (shop != null) {
            shop.close();
        }
        claim.close();
    }

    @Test
    void aMigrationFailingAfterACommitRestoresTheDumpIntoAFreshDatabaseRowByRowAndRollsBack() throws Exception {
        shop = brokenAt120();
        List<String> ordersBefore = rows(shop.database.connection(), ORDERS);
        JobControllerDouble jobs = new JobControllerDouble(client, claim.path());
        createWithRestoreOnFailure();
        runBackupJob(jobs);

        Job restoreJob = jobs.awaitJob(shop.namespace, JobControllerDouble.named("shop-restore-"), JOB_TIMEOUT);
        BackupStatus checkpointed = get(shop.namespace, "shop").getStatus().getUpgrade().getBackup();
        assertThat(checkpointed.failedDatabase()).as("named before the Job was created")
                .startsWith(BackupNames.prefix(shop.database.name()) + "failed_");
        assertThat(restoreJob.getMetadata().getName()).isEqualTo("shop-restore-"
                + BackupNames.stamp(checkpointed.failedDatabase()));
        Container container = restoreJob.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getCommand()).last().asString().contains("pg_restore --no-password --exit-on-error",
                "$DUMP_FILE").doesNotContain("--no-owner");
        assertThat(restoreJob.getSpec().getBackoffLimit()).isZero();
        assertThat(restoreJob.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(restoreJob.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(999L);
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(restoreJob.getSpec().getTemplate().getSpec().getVolumes()).singleElement().satisfies(volume ->
                assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("backups"));
        assertThat(shop.appliedMigrations()).as("the failed database is in place while pg_restore runs")
                .containsExactly("1", "2");

        JobControllerDouble.Run run = jobs.runToCompletion(restoreJob);
        assertThat(run.exitCode()).as(run.output()).isZero();

        ManagedUpgrade restored = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);
        UpgradeProgress progress = restored.getStatus().getUpgrade();
        assertThat(progress.getFailedStep()).isEqualTo(UpgradeStep.Migrate);
        assertThat(progress.getFailedHop()).as("the hop of 1.2.0, after 1.1.0 committed").isEqualTo(1);
        assertThat(progress.getSteps()).extracting(StepRecord::name).containsSubsequence("Backup", "Migrate 1.1.0",
                "Migrate 1.2.0", "Restore", "RollBack");
        BackupStatus backup = progress.getBackup();
        assertThat(backup.restoredAt()).isNotNull();
        assertThat(backup.failedDatabase()).isEqualTo(checkpointed.failedDatabase());
        assertThat(restored.getStatus().getHistory()).singleElement().satisfies(entry -> {
            assertThat(entry.result()).isEqualTo(UpgradeResult.RolledBack);
            assertThat(entry.backup().restoredAt()).isEqualTo(backup.restoredAt());
            assertThat(entry.backup().failedDatabase()).isEqualTo(backup.failedDatabase());
        });
        // The database is the dump again, row by row; the failed one is kept for inspection under its new name.
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(rows(shop.database.connection(), ORDERS)).hasSize(2).isEqualTo(ordersBefore);
        assertThat(rows(shop.database.connection().onDatabase(backup.failedDatabase()),
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                .containsExactly("1", "2");
        assertThat(rows(PostgresServer.get().adminConnection(), "SELECT pg_get_userbyid(datdba) FROM pg_database "
                + "WHERE datname = '" + shop.database.name() + "'")).as("the owner the database had")
                .containsExactly(shop.database.user());
        assertThat(rows(shop.database.connection(), "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'"))
                .as("pg_restore kept the objects' owners").containsExactly(shop.database.user());
        assertThat(client.batch().v1().jobs().inNamespace(shop.namespace).list().getItems()).hasSize(2);
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(client.v1().events().inNamespace(shop.namespace).list().getItems())
                .filteredOn(e -> "BackupRestored".equals(e.getReason())).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("PgDump", backup.database(),
                        backup.failedDatabase(), "restored ", "1.2.0"));
    }

    @Test
    void aRestoreJobThatFailsHoldsBehindThePageWithItsMessageAndTheFailedDatabaseInPlace() throws Exception {
        shop = brokenAt120();
        JobControllerDouble jobs = new JobControllerDouble(client, claim.path());
        createWithRestoreOnFailure();
        runBackupJob(jobs);
        Job restoreJob = jobs.awaitJob(shop.namespace, JobControllerDouble.named("shop-restore-"), JOB_TIMEOUT);
        String fresh = get(shop.namespace, "shop").getStatus().getUpgrade().getBackup().database();
        // The dump is damaged on the claim: pg_restore cannot read it.
        String file = restoreJob.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(env -> env.getName().equals("DUMP_FILE")).findFirst().orElseThrow().getValue();
        byte[] dump = Files.readAllBytes(claim.resolve(file));
        Files.writeString(claim.resolve(file), "not a dump");

        JobControllerDouble.Run run = jobs.runToCompletion(restoreJob);
        assertThat(run.exitCode()).isNotZero();

        ManagedUpgrade held = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.Failed);
        UpgradeProgress progress = held.getStatus().getUpgrade();
        assertThat(progress.getFailedStep()).isEqualTo(UpgradeStep.Restore);
        assertThat(progress.getFailureReason()).isEqualTo(UpgradeFailure.BackupFailed);
        assertThat(progress.getFailureMessage()).contains("Job " + restoreJob.getMetadata().getName()
                + " failed (BackoffLimitExceeded", "pg_restore", "was dropped", "was not replaced",
                "stays behind the maintenance page");
        assertThat(progress.getBackup().restoredAt()).isNull();
        assertThat(progress.getBackup().failedDatabase()).as("cleared: a retry decides new names").isNull();
        assertThat(shop.appliedMigrations()).as("the failed database is untouched, in place").containsExactly("1", "2");
        assertThat(rows(PostgresServer.get().adminConnection(), "SELECT datname FROM pg_database"))
                .as("the half-restored database was dropped").doesNotContain(fresh);
        assertThat(shop.deployment("shop-maintenance")).as("the page stays up").isNotNull();
        assertThat(shop.replicas("web")).isZero();

        // The admin puts the dump back and retries: new names, a new Job (the failed one is kept for its logs).
        Files.write(claim.resolve(file), dump);
        editSpec(shop.namespace, "shop", r -> {
            r.getSpec().setActions(new ActionsSpec());
            r.getSpec().getActions().setRetry("dump-repaired");
        });
        Job retried = jobs.awaitJob(shop.namespace, job -> job.getMetadata().getName().startsWith("shop-restore-")
                && !job.getMetadata().getName().equals(restoreJob.getMetadata().getName()), JOB_TIMEOUT);
        JobControllerDouble.Run again = jobs.runToCompletion(retried);
        assertThat(again.exitCode()).as(again.output()).isZero();
        ManagedUpgrade restored = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getHistory() != null
                && !r.getStatus().getHistory().isEmpty());
        assertThat(restored.getStatus().getHistory().get(0).result()).isEqualTo(UpgradeResult.RolledBack);
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(client.batch().v1().jobs().inNamespace(shop.namespace).list().getItems()).hasSize(3);
    }

    @Test
    void anExplicitRestoreOfAPgDumpBackupBringsBackTheDumpAndItsVersion() throws Exception {
        shop = new ShopFixture(client, "pgrestore-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        shop.allowCreatedb();
        shop.database.execute("INSERT INTO orders (customer, total_cents) VALUES ('ada', 1200), ('bob', 300)");
        List<String> ordersAtBackup = rows(shop.database.connection(), ORDERS);
        JobControllerDouble jobs = new JobControllerDouble(client, claim.path());
        // claimName names an existing claim: the explicit restore looks for it before the page goes up.
        shop.createClaim("backups", "1Gi");
        client.resource(shop.resourceWithBackup("shop", ShopFixture.pgDump("backups", null))).create();
        runBackupJob(jobs);
        ManagedUpgrade upgraded = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getHistory() != null
                && !r.getStatus().getHistory().isEmpty() && r.getStatus().getUpgrade() == null);
        HistoryEntry upgrade = upgraded.getStatus().getHistory().get(0);
        assertThat(upgrade.result()).isEqualTo(UpgradeResult.Succeeded);
        BackupStatus backup = upgrade.backup();
        assertThat(backup.database()).as("the PgDump backup's name, which spec.actions.restore.backup names")
                .startsWith(BackupNames.prefix(shop.database.name()) + "1_0_0_");
        assertThat(backup.file()).isEqualTo("backups:/backup/" + backup.database() + ".dump");
        assertThat(backup.writesSince()).isNotNull();
        shop.database.execute("INSERT INTO orders (customer, total_cents, status) VALUES ('carol', 700, 'new')");

        editSpec(shop.namespace, "shop", r -> r.getSpec().setActions(restore(backup.database(),
                backup.writesSince())));
        Job restoreJob = jobs.awaitJob(shop.namespace, JobControllerDouble.named("shop-restore-"), JOB_TIMEOUT);
        JobControllerDouble.Run run = jobs.runToCompletion(restoreJob);
        assertThat(run.exitCode()).as(run.output()).isZero();
        ManagedUpgrade restored = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.Restored);

        UpgradeProgress progress = restored.getStatus().getUpgrade();
        assertThat(progress.getExplicitRestore()).isTrue();
        assertThat(progress.getSteps()).extracting(StepRecord::step).containsExactly(UpgradeStep.PageUp,
                UpgradeStep.SwapTraffic, UpgradeStep.Quiesce, UpgradeStep.Restore, UpgradeStep.RollImages,
                UpgradeStep.Resume, UpgradeStep.RestoreTraffic, UpgradeStep.Record);
        assertThat(restored.getStatus().getCurrentVersion()).isEqualTo("1.0.0");
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(rows(shop.database.connection(), ORDERS)).isEqualTo(ordersAtBackup);
        assertThat(rows(shop.database.connection().onDatabase(progress.getBackup().failedDatabase()),
                "SELECT customer FROM orders ORDER BY id")).as("the replaced database keeps the write made since")
                .containsExactly("ada", "bob", "carol");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        assertThat(shop.replicas("web")).isEqualTo(2);
    }

    @Test
    void restoreOnFailureWithAnAdminRoleThatCannotCreateTheDatabaseIsRefusedInPreflight() throws Exception {
        shop = new ShopFixture(client, "pgrestore-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        createWithRestoreOnFailure();

        ManagedUpgrade refused = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);

        UpgradeProgress progress = refused.getStatus().getUpgrade();
        assertThat(progress.getFailedStep()).isEqualTo(UpgradeStep.Preflight);
        assertThat(progress.getFailureReason()).isEqualTo(UpgradeFailure.BackupNotPermitted);
        assertThat(progress.getFailureMessage()).contains("spec.database.backup.restoreOnFailure with method PgDump",
                "role " + shop.database.user() + " lacks CREATEDB", "nothing was changed");
        assertThat(client.batch().v1().jobs().inNamespace(shop.namespace).list().getItems()).isEmpty();
    }

    private ShopFixture brokenAt120() throws Exception {
        ShopFixture fixture = new ShopFixture(client, "pgrestore-" + NAMESPACES.incrementAndGet(),
                new SampleApplication().breakMigration("1.2.0"));
        fixture.allowCreatedb();
        fixture.database.execute("INSERT INTO orders (customer, total_cents) VALUES ('ada', 1200), ('O''Brien', 0)");
        return fixture;
    }

    private void createWithRestoreOnFailure() {
        shop.createClaim("backups", "1Gi");
        BackupSpec backup = ShopFixture.pgDump("backups", null);
        backup.setRestoreOnFailure(true);
        client.resource(shop.resourceWithBackup("shop", backup)).create();
    }

    private void runBackupJob(JobControllerDouble jobs) throws Exception {
        JobControllerDouble.Run dump = jobs.runToCompletion(jobs.awaitJob(shop.namespace,
                JobControllerDouble.named("shop-backup-"), JOB_TIMEOUT));
        assertThat(dump.exitCode()).as(dump.output()).isZero();
    }

    private static ActionsSpec restore(String backup, String writesSince) {
        ActionsSpec actions = new ActionsSpec();
        actions.setRestore(new RestoreAction(backup, writesSince));
        return actions;
    }
}
