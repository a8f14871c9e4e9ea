package dev.slipway.kubernetes;

import static dev.slipway.testing.SqlRows.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.spec.BackupSpec;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.database.LibpqTarget;
import dev.slipway.demo.LocalPostgres;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.testing.ClaimDirectory;
import dev.slipway.testing.JobControllerDouble;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.PostgresServer;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.database.backup.method: PgDump} on the CRUD API server with a real PostgreSQL: the test plays the Job
 * controller and the kubelet ({@link JobControllerDouble}), running the Job's own command with the installed
 * {@code pg_dump}, so the command line Slipway builds is proven to dump the database, and the dump to restore.
 */
@QuarkusTest
@WithKubernetesTestServer
class PgDumpBackupOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final String ORDERS = "SELECT id, customer, total_cents FROM orders ORDER BY id";
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
    void aJobDumpsTheDatabaseBeforeTheFirstMigrationAndTheDumpRestoresRowByRow() throws Exception {
        shop = new ShopFixture(client, "pgdump-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        shop.database.execute("INSERT INTO orders (customer, total_cents) VALUES ('ada', 1200), ('bob', 300), "
                + "('O''Brien', 0)");
        List<String> ordersBefore = rows(shop.database.connection(), ORDERS);
        client.resource(shop.resourceWithBackup("shop", ShopFixture.pgDump(null, "1Gi"))).create();

        JobControllerDouble jobs = new JobControllerDouble(client, claim.path());
        Job job = jobs.awaitJob(shop.namespace, Duration.ofSeconds(60));
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).as("the server's major version").isEqualTo("postgres:"
                + LibpqTarget.serverMajorVersion(shop.database.connection()));
        assertThat(container.getEnv()).filteredOn(env -> env.getValueFrom() != null).extracting(EnvVar::getName)
                .as("credentials only by reference to the admin Secret").containsExactlyInAnyOrder("PGUSER", "PGPASSWORD");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
                .as("the dump's Pod holds no Kubernetes API token").isFalse();
        PersistentVolumeClaim created = client.persistentVolumeClaims().inNamespace(shop.namespace)
                .withName("shop-slipway-backups").get();
        assertThat(created.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("1Gi"));
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).singleElement().satisfies(volume -> assertThat(
                volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("shop-slipway-backups"));
        assertThat(get(shop.namespace, "shop").getStatus().getUpgrade().getSteps()).extracting(StepRecord::step)
                .as("nothing migrates while the dump runs").doesNotContain(UpgradeStep.Migrate);

        JobControllerDouble.Run run = jobs.runToCompletion(job);
        assertThat(run.exitCode()).as(run.output()).isZero();

        ManagedUpgrade done = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getHistory() != null
                && !r.getStatus().getHistory().isEmpty());
        HistoryEntry entry = done.getStatus().getHistory().get(0);
        assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded);
        assertThat(entry.steps()).extracting(StepRecord::name).containsSubsequence("Quiesce", "Backup", "Migrate 1.1.0");
        BackupStatus backup = entry.backup();
        assertThat(backup.method()).isEqualTo(BackupMethod.PgDump);
        assertThat(backup.job()).isEqualTo(job.getMetadata().getName()).startsWith("shop-backup-");
        assertThat(backup.file()).startsWith("shop-slipway-backups:/backup/" + shop.database.name() + "_slipway_1_0_0_")
                .endsWith(".dump");
        Path dump = claim.resolve(backup.file().substring("shop-slipway-backups:/backup/".length()));
        assertThat(backup.sizeBytes()).isEqualTo(Files.size(dump)).isPositive();
        assertThat(backup.summary()).isEqualTo(run.terminationMessage().strip()).contains("dumped", "bytes");
        assertThat(Instant.parse(backup.takenAt())).isBeforeOrEqualTo(Instant.parse(entry.steps().stream()
                .filter(step -> step.step() == UpgradeStep.Migrate).findFirst().orElseThrow().startedAt()));
        assertThat(client.batch().v1().jobs().inNamespace(shop.namespace).list().getItems()).hasSize(1);
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");

        // The restore check: pg_restore into a fresh database gives back the database as 1.0.0 left it.
        LocalPostgres.Database fresh = PostgresServer.get().createDatabase("restored");
        restore(dump, fresh);
        assertThat(rows(fresh.connection(), "SELECT version FROM flyway_schema_history WHERE success "
                + "ORDER BY installed_rank")).containsExactly("1");
        assertThat(rows(fresh.connection(), ORDERS)).hasSize(3).isEqualTo(ordersBefore);
        assertThat(client.v1().events().inNamespace(shop.namespace).list().getItems())
                .filteredOn(e -> "BackupTaken".equals(e.getReason())).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("PgDump", backup.summary()));
    }

    /**
     * spec.database.backup.keep for dumps: the second upgrade's Job removes the first upgrade's dump (keep 1) once its
     * own is whole, and nothing on the claim Slipway did not record.
     */
    @Test
    void aLaterDumpRemovesTheRecordedDumpsBeyondKeepAndNothingElseOnTheClaim() throws Exception {
        shop = new ShopFixture(client, "pgdump-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        BackupSpec backup = ShopFixture.pgDump(null, "1Gi");
        backup.setKeep(1);
        ManagedUpgrade resource = shop.resourceWithBackup("shop", backup);
        resource.getSpec().getPolicy().setVersion("1.1.0");
        Files.writeString(claim.resolve("notes.txt"), "the admin's own file");
        client.resource(resource).create();
        JobControllerDouble jobs = new JobControllerDouble(client, claim.path());
        Job first = jobs.awaitJob(shop.namespace, Duration.ofSeconds(60));
        assertThat(jobs.runToCompletion(first).exitCode()).isZero();
        ManagedUpgrade at110 = awaitStatus(shop.namespace, "shop", r -> "1.1.0".equals(r.getStatus().getCurrentVersion())
                && r.getStatus().getUpgrade() == null);
        String firstDump = onClaim(at110.getStatus().getHistory().get(0).backup());
        assertThat(claim.resolve(firstDump)).exists();

        editSpec(shop.namespace, "shop", r -> r.getSpec().getPolicy().setVersion(null));
        Job second = jobs.awaitJob(shop.namespace, job -> !job.getMetadata().getName().equals(
                first.getMetadata().getName()), Duration.ofSeconds(60));
        assertThat(second.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .filteredOn(env -> env.getName().equals("PRUNE_FILES")).singleElement()
                .extracting(EnvVar::getValue).isEqualTo(firstDump);
        JobControllerDouble.Run run = jobs.runToCompletion(second);
        assertThat(run.exitCode()).as(run.output()).isZero();

        ManagedUpgrade done = awaitStatus(shop.namespace, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion())
                && r.getStatus().getUpgrade() == null);
        BackupStatus latest = done.getStatus().getHistory().get(1).backup();
        assertThat(claim.resolve(firstDump)).as("beyond keep 1").doesNotExist();
        assertThat(claim.resolve(onClaim(latest))).as("the running upgrade's").exists();
        assertThat(claim.resolve("notes.txt")).as("not Slipway's").exists();
        assertThat(latest.summary()).contains("removed older dumps (spec.database.backup.keep): " + firstDump);
    }

    private static String onClaim(BackupStatus backup) {
        return backup.file().substring("shop-slipway-backups:/backup/".length());
    }

    @Test
    void aDumpThatFailsStopsTheUpgradeBeforeAnyMigrationAndSaysWhy() throws Exception {
        shop = new ShopFixture(client, "pgdump-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        shop.createClaim("backups", "1Gi");
        client.resource(shop.resourceWithBackup("shop", ShopFixture.pgDump("backups", null))).create();
        JobControllerDouble jobs = new JobControllerDouble(client, claim.path());
        Job job = jobs.awaitJob(shop.namespace, Duration.ofSeconds(60));
        // The file pg_dump writes cannot be created: a directory is in its way, as a full or broken volume would be.
        String file = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(env -> env.getName().equals("DUMP_FILE")).findFirst().orElseThrow().getValue();
        Files.createDirectory(claim.resolve(file + ".partial"));

        JobControllerDouble.Run run = jobs.runToCompletion(job);
        assertThat(run.exitCode()).isNotZero();

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);
        UpgradeProgress progress = failed.getStatus().getUpgrade();
        assertThat(progress.getFailedStep()).isEqualTo(UpgradeStep.Backup);
        assertThat(progress.getFailureReason()).isEqualTo(UpgradeFailure.BackupFailed);
        assertThat(progress.getFailureMessage()).contains("Job " + job.getMetadata().getName() + " failed "
                + "(BackoffLimitExceeded", "could not open output file", "nothing was migrated");
        assertThat(progress.getBackup().wasTaken()).isFalse();
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(client.persistentVolumeClaims().inNamespace(shop.namespace).list().getItems())
                .as("claimName names an existing claim: none is created").extracting(c -> c.getMetadata().getName())
                .containsExactly("backups");
    }

    /** On a cluster the Job's Pod would wait for a missing claim for ever (FailedScheduling), behind the page. */
    @Test
    void aClaimThatDoesNotExistIsRefusedInPreflightBeforeThePageGoesUp() throws Exception {
        shop = new ShopFixture(client, "pgdump-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        client.resource(shop.resourceWithBackup("shop", ShopFixture.pgDump("backups", null))).create();

        ManagedUpgrade refused = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);

        assertThat(refused.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.Preflight);
        assertThat(refused.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.BackupNotPermitted);
        assertThat(refused.getStatus().getUpgrade().getFailureMessage()).contains("spec.database.backup.pgDump.claimName:"
                + " there is no PersistentVolumeClaim backups in namespace " + shop.namespace, "nothing was changed");
        assertThat(shop.deployment("shop-maintenance")).as("the maintenance page never went up").isNull();
        assertThat(client.batch().v1().jobs().inNamespace(shop.namespace).list().getItems()).isEmpty();
    }

    @Test
    void pgDumpWithoutAClaimIsRefusedInPreflightNamingTheField() throws Exception {
        shop = new ShopFixture(client, "pgdump-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        client.resource(shop.resourceWithBackup("shop", ShopFixture.pgDump(null, null))).create();

        ManagedUpgrade refused = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);

        assertThat(refused.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.Preflight);
        assertThat(refused.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.BackupNotPermitted);
        assertThat(refused.getStatus().getUpgrade().getFailureMessage()).contains("spec.database.backup.pgDump",
                "claimName", "storageSize");
        assertThat(shop.deployment("shop-maintenance")).as("the maintenance page never went up").isNull();
        assertThat(client.batch().v1().jobs().inNamespace(shop.namespace).list().getItems()).isEmpty();
    }

    private static void restore(Path dump, LocalPostgres.Database into) throws Exception {
        LibpqTarget target = LibpqTarget.of(into.connection());
        ProcessBuilder pgRestore = new ProcessBuilder(JobControllerDouble.POSTGRES_BIN.resolve("pg_restore").toString(),
                "--no-owner", "--no-privileges", "--exit-on-error", "--dbname=" + target.database(), dump.toString())
                .redirectErrorStream(true);
        pgRestore.environment().put("PGHOST", target.host());
        pgRestore.environment().put("PGPORT", Integer.toString(target.port()));
        pgRestore.environment().put("PGUSER", into.user());
        pgRestore.environment().put("PGPASSWORD", into.password());
        Process process = pgRestore.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("pg_restore: " + output).isZero();
    }
}
