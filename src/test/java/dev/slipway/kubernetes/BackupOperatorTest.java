package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.database.BackupNames;
import dev.slipway.database.DbConnection;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import static dev.slipway.testing.SqlRows.rows;

import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code spec.database.backup.method: TemplateClone} on the CRUD API server with a real PostgreSQL. */
@QuarkusTest
@WithKubernetesTestServer
class BackupOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final String ORDERS = "SELECT id, customer, total_cents FROM orders ORDER BY id";
    private SimulatedKubelet kubelet;
    private ShopFixture shop;

    @BeforeEach
    void startKubelet() {
        kubelet = new SimulatedKubelet(client).start();
    }

    @AfterEach
    void stop() {
        kubelet.close();
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void theDatabaseIsCopiedBeforeTheFirstMigrationAndTheCopyIsRecorded() throws Exception {
        shop = new ShopFixture(client, "backup-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        shop.allowCreatedb();
        shop.database.execute("INSERT INTO orders (customer, total_cents) VALUES ('ada', 1200), ('bob', 300), "
                + "('O''Brien', 0)");
        List<String> ordersBefore = rows(shop.database.connection(), ORDERS);
        client.resource(shop.resourceWithBackup("shop")).create();

        ManagedUpgrade done = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getHistory() != null
                && !r.getStatus().getHistory().isEmpty());

        HistoryEntry entry = done.getStatus().getHistory().get(0);
        assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded);
        assertThat(entry.steps()).extracting(StepRecord::name).containsSubsequence("Quiesce", "Backup", "Migrate 1.1.0");
        assertThat(entry.steps()).extracting(StepRecord::name).containsOnlyOnce("Backup");
        BackupStatus backup = entry.backup();
        assertThat(backup.method()).isEqualTo(BackupMethod.TemplateClone);
        assertThat(backup.database()).startsWith(BackupNames.prefix(shop.database.name()) + "1_0_0_");
        assertThat(backup.sizeBytes()).isPositive();
        Instant backupStarted = Instant.parse(step(entry, UpgradeStep.Backup).startedAt());
        assertThat(Instant.parse(backup.takenAt())).isAfterOrEqualTo(backupStarted)
                .isBeforeOrEqualTo(Instant.parse(step(entry, UpgradeStep.Migrate).startedAt()));
        assertThat(shop.backups()).containsExactly(backup.database());

        // The copy is the database as 1.0.0 left it: schema 1, none of the later migrations, the same rows.
        DbConnection copy = shop.database.connection().onDatabase(backup.database());
        assertThat(rows(copy, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                .containsExactly("1");
        assertThat(rows(copy, "SELECT to_regclass('public.customers') IS NULL, count(*) FILTER (WHERE attname IN "
                + "('status', 'placed_at')) FROM pg_attribute WHERE attrelid = 'public.orders'::regclass"))
                .containsExactly("t|0");
        assertThat(rows(copy, ORDERS)).hasSize(3).isEqualTo(ordersBefore);
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
        assertThat(rows(shop.database.connection(), ORDERS)).as("the migrated database, same orders").isEqualTo(ordersBefore);

        assertThat(client.v1().events().inNamespace(shop.namespace).list().getItems())
                .filteredOn(e -> "BackupTaken".equals(e.getReason())).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(backup.database(), "bytes)"));
    }

    @Test
    void anAdminRoleWithoutCreatedbIsRefusedInPreflightBeforeThePageGoesUp() throws Exception {
        shop = new ShopFixture(client, "backup-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        client.resource(shop.resourceWithBackup("shop")).create();

        ManagedUpgrade refused = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);

        assertThat(refused.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.Preflight);
        assertThat(refused.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.BackupNotPermitted);
        assertThat(refused.getStatus().getUpgrade().getFailureMessage()).contains("spec.database.backup.method",
                "lacks CREATEDB", shop.database.user());
        assertThat(refused.getStatus().getUpgrade().getSteps()).extracting(StepRecord::step)
                .doesNotContain(UpgradeStep.PageUp);
        assertThat(shop.deployment("shop-maintenance")).as("the maintenance page never went up").isNull();
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(shop.backups()).isEmpty();
    }

    @Test
    void aMigrationFailingAfterAnEarlierHopCommittedRestoresTheBackupRowByRowAndRollsBack() throws Exception {
        shop = new ShopFixture(client, "backup-" + NAMESPACES.incrementAndGet(),
                new SampleApplication().breakMigration("1.2.0"));
        shop.allowCreatedb();
        shop.database.execute("INSERT INTO orders (customer, total_cents) VALUES ('ada', 1200), ('bob', 300)");
        List<String> ordersBefore = rows(shop.database.connection(), ORDERS);
        Ingress original = shop.ingress();
        ManagedUpgrade resource = shop.resourceWithBackup("shop");
        resource.getSpec().getDatabase().getBackup().setRestoreOnFailure(true);
        client.resource(resource).create();

        ManagedUpgrade restored = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);

        UpgradeProgress progress = restored.getStatus().getUpgrade();
        assertThat(progress.getFailedStep()).isEqualTo(UpgradeStep.Migrate);
        assertThat(progress.getFailedHop()).as("the hop of 1.2.0, after 1.1.0 committed").isEqualTo(1);
        assertThat(progress.getSteps()).extracting(StepRecord::name).containsSubsequence("Backup", "Migrate 1.1.0",
                "Migrate 1.2.0", "Restore", "RollBack");
        BackupStatus backup = progress.getBackup();
        assertThat(backup.restoredAt()).isNotNull();
        assertThat(backup.failedDatabase()).startsWith(BackupNames.prefix(shop.database.name()) + "failed_");
        assertThat(restored.getStatus().getHistory()).singleElement().satisfies(entry -> {
            assertThat(entry.result()).isEqualTo(UpgradeResult.RolledBack);
            assertThat(entry.backup().restoredAt()).isEqualTo(backup.restoredAt());
        });
        // The database is the backup again, row by row; the failed one is kept for inspection, never dropped.
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(rows(shop.database.connection(), ORDERS)).hasSize(2).isEqualTo(ordersBefore);
        assertThat(rows(shop.database.connection().onDatabase(backup.failedDatabase()),
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                .containsExactly("1", "2");
        assertThat(shop.backups()).doesNotContain(backup.database(), backup.failedDatabase());
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(client.getKubernetesSerialization().asJson(shop.ingress().getSpec()))
                .isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
        assertThat(client.v1().events().inNamespace(shop.namespace).list().getItems())
                .filteredOn(e -> "BackupRestored".equals(e.getReason())).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(backup.failedDatabase(), "1.2.0"));
    }

    @Test
    void aDatabaseLargerThanMaxSizeBytesIsRefusedInPreflightBeforeThePageGoesUp() throws Exception {
        shop = new ShopFixture(client, "backup-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        shop.allowCreatedb();
        ManagedUpgrade resource = shop.resourceWithBackup("shop");
        resource.getSpec().getDatabase().getBackup().setMaxSizeBytes(1024L);
        client.resource(resource).create();

        ManagedUpgrade refused = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);

        assertThat(refused.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.Preflight);
        assertThat(refused.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.BackupNotPermitted);
        assertThat(refused.getStatus().getUpgrade().getFailureMessage()).contains(
                "spec.database.backup.maxSizeBytes is 1.0 KiB (1024 bytes) but database " + shop.database.name());
        assertThat(shop.deployment("shop-maintenance")).as("the maintenance page never went up").isNull();
        assertThat(shop.backups()).isEmpty();
    }

    private static StepRecord step(HistoryEntry entry, UpgradeStep step) {
        return entry.steps().stream().filter(s -> s.step() == step).findFirst().orElseThrow();
    }
}
