package dev.slipway.kubernetes;

import static dev.slipway.testing.SqlRows.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.spec.RestoreAction;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.actions.restore} after traffic returned, on the CRUD API server with a real PostgreSQL: refused unless it
 * echoes the backup's writesSince; accepted, the backup replaces the database behind the page and 1.0.0 runs again.
 */
@QuarkusTest
@WithKubernetesTestServer
class ExplicitRestoreOperatorTest extends OperatorTestBase {

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
    void aRestoreAfterTrafficReturnedMustEchoWritesSinceAndThenBringsBackTheBackupAndItsVersion() throws Exception {
        shop = new ShopFixture(client, "restore-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        shop.allowCreatedb();
        shop.database.execute("INSERT INTO orders (customer, total_cents) VALUES ('ada', 1200), ('bob', 300)");
        List<String> ordersAtBackup = rows(shop.database.connection(), ORDERS);
        Ingress original = shop.ingress();
        client.resource(shop.resourceWithBackup("shop")).create();
        ManagedUpgrade upgraded = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getHistory() != null
                && !r.getStatus().getHistory().isEmpty() && r.getStatus().getUpgrade() == null);

        HistoryEntry upgrade = upgraded.getStatus().getHistory().get(0);
        assertThat(upgrade.result()).isEqualTo(UpgradeResult.Succeeded);
        BackupStatus backup = upgrade.backup();
        assertThat(backup.version()).isEqualTo("1.0.0");
        StepRecord trafficBack = upgrade.steps().stream().filter(s -> s.step() == UpgradeStep.RestoreTraffic)
                .findFirst().orElseThrow();
        assertThat(Instant.parse(backup.writesSince())).as("recorded as the Ingress went back to the application")
                .isAfterOrEqualTo(Instant.parse(trafficBack.startedAt()))
                .isBeforeOrEqualTo(Instant.parse(trafficBack.finishedAt()));
        // A visitor's write after traffic returned: the restore replaces it.
        shop.database.execute("INSERT INTO orders (customer, total_cents, status) VALUES ('carol', 700, 'new')");

        String wrongTime = Instant.parse(backup.writesSince()).plusSeconds(1).toString();
        editSpec(shop.namespace, "shop", r -> r.getSpec().setActions(restore(backup.database(), wrongTime)));
        ManagedUpgrade refused = awaitStatus(shop.namespace, "shop",
                r -> restoreCondition(r).filter(c -> "False".equals(c.getStatus())).isPresent());

        assertThat(restoreCondition(refused).orElseThrow()).satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("WritesSinceMismatch");
            assertThat(c.getMessage()).contains("spec.actions.restore.writesSince is " + wrongTime,
                    "shows writesSince " + backup.writesSince());
        });
        assertThat(refused.getStatus().getUpgrade()).as("nothing started").isNull();
        assertThat(refused.getStatus().getCurrentVersion()).isEqualTo("2.0.0");
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");

        editSpec(shop.namespace, "shop", r -> r.getSpec().setActions(restore(backup.database(),
                backup.writesSince())));
        ManagedUpgrade restored = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.Restored);

        UpgradeProgress run = restored.getStatus().getUpgrade();
        assertThat(run.getExplicitRestore()).isTrue();
        assertThat(run.getFrom()).isEqualTo("2.0.0");
        assertThat(run.getTo()).isEqualTo("1.0.0");
        assertThat(run.getSteps()).extracting(StepRecord::step).containsExactly(UpgradeStep.PageUp,
                UpgradeStep.SwapTraffic, UpgradeStep.Quiesce, UpgradeStep.Restore, UpgradeStep.RollImages,
                UpgradeStep.Resume, UpgradeStep.RestoreTraffic, UpgradeStep.Record);
        assertThat(restored.getStatus().getCurrentVersion()).isEqualTo("1.0.0");
        assertThat(restored.getStatus().getHistory()).hasSize(2).last().satisfies(entry -> {
            assertThat(entry.result()).isEqualTo(UpgradeResult.Restored);
            assertThat(entry.backup().database()).isEqualTo(backup.database());
            assertThat(entry.backup().restoredAt()).isNotNull();
        });
        assertThat(restoreCondition(restored).orElseThrow().getReason()).isEqualTo("Restoring");
        // The database is the backup again, row by row; the replaced one keeps the write made since.
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(rows(shop.database.connection(), ORDERS)).isEqualTo(ordersAtBackup);
        String replaced = run.getBackup().failedDatabase();
        assertThat(rows(shop.database.connection().onDatabase(replaced),
                "SELECT customer FROM orders ORDER BY id")).containsExactly("ada", "bob", "carol");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(client.getKubernetesSerialization().asJson(shop.ingress().getSpec()))
                .isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
        assertThat(client.v1().events().inNamespace(shop.namespace).list().getItems())
                .filteredOn(e -> "UpgradeRestored".equals(e.getReason())).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(backup.database(), replaced));
        // The version restored away from is not installed again by itself.
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> get(shop.namespace, "shop").getStatus().getUpgrade(),
                        progress -> progress != null && progress.getResult() == UpgradeResult.Restored);

        // Asked again with the same backup (another spelling of the same time): it is the database now.
        String sameTimeOtherSpelling = backup.writesSince().replace("Z", "+00:00");
        editSpec(shop.namespace, "shop", r -> r.getSpec().setActions(restore(backup.database(),
                sameTimeOtherSpelling)));
        ManagedUpgrade again = awaitStatus(shop.namespace, "shop",
                r -> restoreCondition(r).filter(c -> "False".equals(c.getStatus())).isPresent());
        assertThat(restoreCondition(again).orElseThrow().getReason()).isEqualTo("BackupAlreadyRestored");
    }

    private static ActionsSpec restore(String backup, String writesSince) {
        ActionsSpec actions = new ActionsSpec();
        actions.setRestore(new RestoreAction(backup, writesSince));
        return actions;
    }

    private static Optional<Condition> restoreCondition(ManagedUpgrade resource) {
        return resource.getStatus().getConditions() == null ? Optional.empty() : resource.getStatus().getConditions()
                .stream().filter(c -> "RestoreRequested".equals(c.getType())).findFirst();
    }
}
