package dev.slipway.kubernetes.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.spec.BackupSpec;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.kubernetes.page.PageNames;
import dev.slipway.testing.ClaimDirectory;
import dev.slipway.testing.CloudNativePgDouble;
import dev.slipway.testing.JobControllerDouble;
import dev.slipway.testing.Crds;
import dev.slipway.testing.FreshOperators;
import dev.slipway.testing.ShopFixture;
import dev.slipway.database.BackupNames;
import dev.slipway.testing.PostgresServer;
import dev.slipway.testing.SqlRows;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stops the operator at every step boundary of a 3-hop upgrade (and just after each migration step began), then
 * starts a fresh one with nothing but what the cluster holds: the upgrade must complete exactly as without the crash.
 * Runs its own Operator instances (not the application's), so it has a profile of its own.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(CrashResumeTest.OwnOperators.class)
class CrashResumeTest {

    /** A distinct profile: a Quarkus application whose injected Operator is never started. */
    public static class OwnOperators implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("slipway.page.ready-timeout", "2m");
        }
    }

    private static final AtomicInteger RUNS = new AtomicInteger();

    @Inject
    KubernetesClient client;
    @Inject
    UpgradeExecutor executor;
    @Inject
    Clock clock;

    private SimulatedKubelet kubelet;
    @Inject
    FreshOperators operators;

    @BeforeEach
    void setUp() throws Exception {
        Crds.applyManagedUpgrade(client);
        kubelet = new SimulatedKubelet(client).start();
    }

    @AfterEach
    void tearDown() {
        executor.setCheckpointListener(null);
        operators.stopAll();
        kubelet.close();
    }

    static Stream<Arguments> boundaries() {
        List<Arguments> boundaries = new ArrayList<>();
        // Every kind of step once; the per-hop steps of the first hop stand for those of later hops, except the
        // last hop's, whose successors differ.
        for (String step : List.of("Preflight", "PageUp", "SwapTraffic", "Quiesce",
                "Migrate 1.1.0", "RollImages 1.1.0", "StartStop 1.1.0", "QuiesceStop 1.1.0",
                "Migrate 2.0.0", "RollImages 2.0.0", "Resume", "RestoreTraffic", "Record")) {
            boundaries.add(Arguments.of(step, true));
            if (step.startsWith("Migrate")) {
                boundaries.add(Arguments.of(step, false));
            }
        }
        return boundaries.stream();
    }

    @ParameterizedTest(name = "crash after {0} (completed: {1})")
    @MethodSource("boundaries")
    void upgradeCompletesAfterACrash(String step, boolean completed) throws Exception {
        String namespace = "crash-" + RUNS.incrementAndGet();
        try (ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication())) {
            Ingress original = shop.ingress();
            CountDownLatch crashed = new CountDownLatch(1);
            executor.setCheckpointListener((key, done) -> {
                if (crashed.getCount() == 0 || (key.equals(step) && done == completed)) {
                    crashed.countDown();
                    throw new IllegalStateException("simulated crash after " + key);
                }
            });
            Operator first = operators.start(namespace);
            client.resource(shop.resource("shop")).create();
            assertThat(crashed.await(60, TimeUnit.SECONDS)).as("the upgrade reached " + step).isTrue();
            operators.stop(first);

            executor.setCheckpointListener(null);
            operators.start(namespace);
            ManagedUpgrade done = awaitResource(namespace, CrashResumeTest::upgradedTo200);

            assertThat(done.getStatus().getHistory()).singleElement().extracting("result").isEqualTo(UpgradeResult.Succeeded);
            assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
            assertThat(client.getKubernetesSerialization().asJson(shop.ingress().getSpec()))
                    .isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
            assertThat(shop.ingress().getMetadata().getAnnotations()).doesNotContainKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
            assertThat(shop.replicas("web")).isEqualTo(2);
            assertThat(shop.replicas("worker")).isEqualTo(1);
            assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "2.0.0"));
        }
    }

    /**
     * With {@code spec.database.backup}: the operator stops just as Backup began (no name decided yet), after it
     * completed (before Migrate began), and after it copied the database but before it could record the step as done
     * (the status as a crash then leaves it: the name checkpointed, the copy made, nothing else). Each time the upgrade
     * completes with exactly one backup, the one the status names.
     */
    @ParameterizedTest(name = "crash after Backup (completed: {0}, completion lost: {1})")
    @CsvSource({"false, false", "true, false", "true, true"})
    void aCrashAroundTheBackupTakesItOnceAndKeepsItsRecord(boolean completed, boolean completionLost) throws Exception {
        String namespace = "crash-" + RUNS.incrementAndGet();
        try (ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication())) {
            shop.allowCreatedb();
            CountDownLatch crashed = new CountDownLatch(1);
            executor.setCheckpointListener((key, done) -> {
                if (crashed.getCount() == 0 || (key.equals("Backup") && done == completed)) {
                    crashed.countDown();
                    throw new IllegalStateException("simulated crash after " + key);
                }
            });
            Operator first = operators.start(namespace);
            client.resource(shop.resourceWithBackup("shop")).create();
            assertThat(crashed.await(60, TimeUnit.SECONDS)).as("the upgrade reached Backup").isTrue();
            operators.stop(first);
            ManagedUpgrade atCrash = client.resources(ManagedUpgrade.class).inNamespace(namespace).withName("shop").get();
            BackupStatus recorded = atCrash.getStatus().getUpgrade().getBackup();
            if (completed) {
                assertThat(atCrash.getStatus().getUpgrade().getStep()).isEqualTo(UpgradeStep.Migrate);
                assertThat(recorded.wasTaken()).isTrue();
                assertThat(shop.backups()).containsExactly(recorded.database());
            }
            if (completionLost) {
                UpgradeProgress progress = atCrash.getStatus().getUpgrade();
                progress.setStep(UpgradeStep.Backup);
                progress.setBackup(BackupStatus.planned(recorded.method()).named(recorded.database()));
                progress.setSteps(progress.getSteps().stream()
                        // a retry of the crashed operator may have begun Migrate before it stopped
                        .filter(step -> step.step() != UpgradeStep.Migrate)
                        .map(step -> step.step() == UpgradeStep.Backup ? new StepRecord(step.step(), step.hop(),
                                step.name(), step.startedAt(), null) : step)
                        .collect(java.util.stream.Collectors.toCollection(ArrayList::new)));
                client.resource(atCrash).updateStatus();
            }

            executor.setCheckpointListener(null);
            operators.start(namespace);
            ManagedUpgrade done = awaitResource(namespace, CrashResumeTest::upgradedTo200);

            HistoryEntry entry = done.getStatus().getHistory().get(0);
            assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded);
            assertThat(shop.backups()).singleElement().isEqualTo(entry.backup().database());
            if (completed) {
                assertThat(entry.backup().database()).isEqualTo(recorded.database());
            }
            assertThat(entry.backup().takenAt()).isNotNull();
            assertThat(entry.backup().sizeBytes()).isPositive();
            assertThat(SqlRows.rows(shop.database.connection().onDatabase(entry.backup().database()),
                    "SELECT version FROM flyway_schema_history ORDER BY installed_rank")).containsExactly("1");
            assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
        }
    }

    /**
     * A backup another controller takes (PgDump: the Job controller, played by {@link JobControllerDouble} running the
     * Job's pg_dump; CloudNativePG: its operator, played by {@link CloudNativePgDouble}): the operator stops while the
     * Job or Backup it created runs (its name checkpointed, its end not seen), or after the Backup step completed
     * (before Migrate began). Each time the restarted operator completes the upgrade with exactly one Job or Backup,
     * the one the status named, and keeps its record.
     */
    @ParameterizedTest(name = "{0}: crash {1}")
    @CsvSource({"PgDump, while it runs", "PgDump, after Backup", "CloudNativePG, while it runs",
            "CloudNativePG, after Backup"})
    void aCrashAroundAnExternalBackupCreatesItOnceAndKeepsItsRecord(BackupMethod method, String when) throws Exception {
        String namespace = "crash-" + RUNS.incrementAndGet();
        boolean pgDump = method == BackupMethod.PgDump;
        boolean afterBackup = when.equals("after Backup");
        try (ClaimDirectory claim = ClaimDirectory.create();
                ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication())) {
            JobControllerDouble jobs = new JobControllerDouble(client, claim.path());
            shop.createClaim("backups", "1Gi");
            CloudNativePgDouble cnpg = new CloudNativePgDouble(client);
            cnpg.shopCluster(namespace);
            CountDownLatch crashed = new CountDownLatch(1);
            if (afterBackup) {
                executor.setCheckpointListener((key, done) -> {
                    if (crashed.getCount() == 0 || (key.equals("Backup") && done)) {
                        crashed.countDown();
                        throw new IllegalStateException("simulated crash after " + key);
                    }
                });
            }
            Operator first = operators.start(namespace);
            client.resource(shop.resourceWithBackup("shop", pgDump ? ShopFixture.pgDump("backups", null)
                    : ShopFixture.cloudNativePg(null))).create();
            String created = pgDump ? jobs.awaitJob(namespace, Duration.ofSeconds(60)).getMetadata().getName()
                    : cnpg.awaitBackup(namespace, Duration.ofSeconds(60)).getMetadata().getName();
            if (afterBackup) {
                complete(pgDump, jobs, cnpg, namespace);
                assertThat(crashed.await(60, TimeUnit.SECONDS)).as("the upgrade completed Backup").isTrue();
            }
            operators.stop(first);
            BackupStatus atCrash = client.resources(ManagedUpgrade.class).inNamespace(namespace).withName("shop").get()
                    .getStatus().getUpgrade().getBackup();
            assertThat(pgDump ? atCrash.job() : atCrash.cloudNativePGBackup()).as("named before it was created")
                    .isEqualTo(created);
            assertThat(atCrash.wasTaken()).isEqualTo(afterBackup);

            executor.setCheckpointListener(null);
            operators.start(namespace);
            if (!afterBackup) {
                complete(pgDump, jobs, cnpg, namespace);
            }
            ManagedUpgrade done = awaitResource(namespace, CrashResumeTest::upgradedTo200);

            HistoryEntry entry = done.getStatus().getHistory().get(0);
            assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded);
            assertThat(pgDump ? client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                    .map(job -> job.getMetadata().getName()).toList()
                    : cnpg.backups(namespace).stream().map(backup -> backup.getMetadata().getName()).toList())
                    .as("exactly one").containsExactly(created);
            assertThat(pgDump ? entry.backup().job() : entry.backup().cloudNativePGBackup()).isEqualTo(created);
            assertThat(entry.backup().takenAt()).isNotNull();
            assertThat(entry.backup().summary()).isNotBlank();
            assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
        }
    }

    /** Plays the controller that takes the backup to its successful end. */
    private static void complete(boolean pgDump, JobControllerDouble jobs, CloudNativePgDouble cnpg, String namespace)
            throws Exception {
        if (pgDump) {
            JobControllerDouble.Run run = jobs.runToCompletion(jobs.awaitJob(namespace, Duration.ofSeconds(5)));
            assertThat(run.exitCode()).as(run.output()).isZero();
        } else {
            GenericKubernetesResource backup = cnpg.awaitBackup(namespace, Duration.ofSeconds(5));
            cnpg.running(backup);
            cnpg.completed(backup, "20261206T050000");
        }
    }

    /**
     * With {@code restoreOnFailure} and a migration failing after a commit: the operator stops as Restore began (no
     * failed-database name yet), after it completed, and after it swapped the names but before it could record that
     * (the status names the failed database, the backup is not marked restored). Each time the restart ends rolled
     * back on the backup's data, with the failed database kept once and the names swapped once.
     */
    @ParameterizedTest(name = "crash after Restore (completed: {0}, completion lost: {1})")
    @CsvSource({"false, false", "true, false", "true, true"})
    void aCrashAroundTheRestoreSwapsTheNamesOnce(boolean completed, boolean completionLost) throws Exception {
        String namespace = "crash-" + RUNS.incrementAndGet();
        try (ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication().breakMigration("1.2.0"))) {
            shop.allowCreatedb();
            shop.database.execute("INSERT INTO orders (customer, total_cents) VALUES ('ada', 1200)");
            List<String> ordersBefore = SqlRows.rows(shop.database.connection(), "SELECT * FROM orders ORDER BY id");
            CountDownLatch crashed = new CountDownLatch(1);
            executor.setCheckpointListener((key, done) -> {
                if (crashed.getCount() == 0 || (key.equals("Restore") && done == completed)) {
                    crashed.countDown();
                    throw new IllegalStateException("simulated crash after " + key);
                }
            });
            Operator first = operators.start(namespace);
            ManagedUpgrade resource = shop.resourceWithBackup("shop");
            resource.getSpec().getDatabase().getBackup().setRestoreOnFailure(true);
            client.resource(resource).create();
            assertThat(crashed.await(90, TimeUnit.SECONDS)).as("the upgrade reached Restore").isTrue();
            operators.stop(first);
            if (completionLost) {
                ManagedUpgrade atCrash = client.resources(ManagedUpgrade.class).inNamespace(namespace).withName("shop")
                        .get();
                UpgradeProgress progress = atCrash.getStatus().getUpgrade();
                BackupStatus restored = progress.getBackup();
                assertThat(restored.restoredAt()).isNotNull();
                progress.setStep(UpgradeStep.Restore);
                progress.setCommitted(true);
                progress.setBackup(BackupStatus.planned(restored.method()).named(restored.database())
                        .taken(restored.sizeBytes(), restored.takenAt(), null).ofVersion(restored.version())
                        .failedAs(restored.failedDatabase()));
                progress.setSteps(progress.getSteps().stream()
                        .filter(step -> step.step() != UpgradeStep.RollBack)
                        .map(step -> step.step() == UpgradeStep.Restore ? new StepRecord(step.step(), step.hop(),
                                step.name(), step.startedAt(), null) : step)
                        .collect(java.util.stream.Collectors.toCollection(ArrayList::new)));
                client.resource(atCrash).updateStatus();
            }

            executor.setCheckpointListener(null);
            operators.start(namespace);
            ManagedUpgrade done = awaitResource(namespace, r -> r.getStatus() != null && r.getStatus().getHistory() != null
                    && !r.getStatus().getHistory().isEmpty());

            assertRolledBackOnTheBackup(shop, done.getStatus().getHistory().get(0), ordersBefore);
        }
    }

    /**
     * A PgDump restore (restoreOnFailure, a migration failing after a commit): the operator stops while the pg_restore
     * Job runs, the failed database's name checkpointed and the Job created, its end not seen. The restarted operator
     * finds the Job by the name that checkpoint implies, creates no second one, and swaps the names once the Job is
     * done: rolled back on the dump's data, the failed database kept once.
     */
    @Test
    void aCrashWhileThePgRestoreJobRunsCreatesNoSecondJobAndCompletesTheRestore() throws Exception {
        String namespace = "crash-" + RUNS.incrementAndGet();
        try (ClaimDirectory claim = ClaimDirectory.create();
                ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication().breakMigration("1.2.0"))) {
            shop.allowCreatedb();
            shop.database.execute("INSERT INTO orders (customer, total_cents) VALUES ('ada', 1200)");
            List<String> ordersBefore = SqlRows.rows(shop.database.connection(), "SELECT * FROM orders ORDER BY id");
            JobControllerDouble jobs = new JobControllerDouble(client, claim.path());
            Operator first = operators.start(namespace);
            shop.createClaim("backups", "1Gi");
            BackupSpec backup = ShopFixture.pgDump("backups", null);
            backup.setRestoreOnFailure(true);
            client.resource(shop.resourceWithBackup("shop", backup)).create();
            JobControllerDouble.Run dump = jobs.runToCompletion(jobs.awaitJob(namespace,
                    JobControllerDouble.named("shop-backup-"), Duration.ofSeconds(60)));
            assertThat(dump.exitCode()).as(dump.output()).isZero();
            Job restoreJob = jobs.awaitJob(namespace, JobControllerDouble.named("shop-restore-"),
                    Duration.ofSeconds(90));
            operators.stop(first);
            BackupStatus atCrash = client.resources(ManagedUpgrade.class).inNamespace(namespace).withName("shop").get()
                    .getStatus().getUpgrade().getBackup();
            assertThat(atCrash.failedDatabase()).as("checkpointed before the Job was created").isNotNull();
            assertThat(atCrash.restoredAt()).isNull();

            operators.start(namespace);
            // The restarted operator looks at the unfinished Job before it ends.
            Thread.sleep(2000);
            JobControllerDouble.Run run = jobs.runToCompletion(restoreJob);
            assertThat(run.exitCode()).as(run.output()).isZero();
            ManagedUpgrade done = awaitResource(namespace, r -> r.getStatus() != null && r.getStatus().getHistory() != null
                    && !r.getStatus().getHistory().isEmpty());

            HistoryEntry entry = done.getStatus().getHistory().get(0);
            assertThat(entry.backup().failedDatabase()).isEqualTo(atCrash.failedDatabase());
            assertThat(client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                    .map(job -> job.getMetadata().getName()).filter(name -> name.startsWith("shop-restore-")))
                    .as("exactly one restore Job").containsExactly(restoreJob.getMetadata().getName());
            assertRolledBackOnTheBackup(shop, entry, ordersBefore);
        }
    }

    /**
     * spec.maintenancePage.drainAfterRestore counts from the restore checkpointed in status, so an operator that
     * restarts during the drain scales the page down when the drain ends, not a whole drain after it came back.
     */
    @Test
    void aRestartDuringTheDrainKeepsTheMomentThePageGoes() throws Exception {
        Duration drain = Duration.ofSeconds(10);
        Duration down = Duration.ofSeconds(5);
        String namespace = "crash-drain";
        try (ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication())) {
            ManagedUpgrade resource = shop.resource("shop");
            resource.getSpec().getMaintenancePage().setDrainAfterRestore(drain.toSeconds() + "s");
            Operator first = operators.start(namespace);
            client.resource(resource).create();
            ManagedUpgrade draining = awaitResource(namespace, r -> r.getStatus() != null
                    && r.getStatus().getUpgrade() != null && r.getStatus().getUpgrade().getTrafficRestoredAt() != null);
            operators.stop(first);
            Instant restoredAt = Instant.parse(draining.getStatus().getUpgrade().getTrafficRestoredAt());

            Thread.sleep(down.toMillis());
            Instant restartedAt = clock.instant();
            operators.start(namespace);
            ManagedUpgrade done = awaitResource(namespace, CrashResumeTest::upgradedTo200);

            StepRecord restore = done.getStatus().getHistory().get(0).steps().stream()
                    .filter(step -> step.step() == UpgradeStep.RestoreTraffic).findFirst().orElseThrow();
            Instant pageWent = Instant.parse(restore.finishedAt());
            assertThat(pageWent).as("the page outlived the restored Ingress by the whole drain")
                    .isAfterOrEqualTo(restoredAt.plus(drain));
            // a drain restarted by the new operator would end a whole drain after the restart at the earliest
            assertThat(pageWent).as("the drain was not started again by the restarted operator")
                    .isBefore(restartedAt.plus(drain));
            assertThat(client.apps().deployments().inNamespace(namespace).withName(PageNames.name(done)).get()
                    .getSpec().getReplicas()).isZero();
        }
    }

    /**
     * A restore after a crash ended as one without: rolled back on the backup's orders at schema 1, the failed
     * database kept once, the application at 1.0.0 with its replicas.
     */
    private static void assertRolledBackOnTheBackup(ShopFixture shop, HistoryEntry entry, List<String> ordersBefore)
            throws Exception {
        assertThat(entry.result()).isEqualTo(UpgradeResult.RolledBack);
        assertThat(entry.backup().restoredAt()).isNotNull();
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(SqlRows.rows(shop.database.connection(), "SELECT * FROM orders ORDER BY id")).isEqualTo(ordersBefore);
        String failedPrefix = BackupNames.prefix(shop.database.name()) + "failed_";
        assertThat(SqlRows.rows(PostgresServer.get().adminConnection(), "SELECT datname FROM pg_database")
                .stream().filter(name -> name.startsWith(failedPrefix))).containsExactly(entry.backup().failedDatabase());
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        assertThat(shop.replicas("web")).isEqualTo(2);
    }

    private static boolean upgradedTo200(ManagedUpgrade resource) {
        return resource.getStatus() != null && "2.0.0".equals(resource.getStatus().getCurrentVersion())
                && resource.getStatus().getUpgrade() == null;
    }

    private ManagedUpgrade awaitResource(String namespace, Predicate<ManagedUpgrade> condition) {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.resources(ManagedUpgrade.class).inNamespace(namespace).withName("shop").get(),
                        r -> r != null && condition.test(r));
    }

}
