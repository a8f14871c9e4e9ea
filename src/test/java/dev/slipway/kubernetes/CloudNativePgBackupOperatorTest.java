package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.spec.BackupSpec;
import dev.slipway.api.v1alpha1.spec.CloudNativePgBackupSpec;
import dev.slipway.api.v1alpha1.spec.RestoreAction;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.testing.CloudNativePgDouble;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.database.backup.method: CloudNativePG} on the CRUD API server with CloudNativePG's Backup CRD applied;
 * the test plays the CloudNativePG operator ({@link CloudNativePgDouble}), the database is a real PostgreSQL.
 */
@QuarkusTest
@WithKubernetesTestServer
class CloudNativePgBackupOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private SimulatedKubelet kubelet;
    private ShopFixture shop;
    private CloudNativePgDouble cnpg;

    @BeforeEach
    void setUp() throws Exception {
        kubelet = new SimulatedKubelet(client).start();
        cnpg = new CloudNativePgDouble(client);
    }

    @AfterEach
    void stop() {
        kubelet.close();
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void aBackupOfTheClusterIsTakenAndCompletedBeforeTheFirstMigration() throws Exception {
        shop = new ShopFixture(client, "cnpg-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        cnpg.shopCluster(shop.namespace);
        client.resource(shop.resourceWithBackup("shop",
                ShopFixture.cloudNativePg(CloudNativePgBackupSpec.Method.VolumeSnapshot))).create();

        GenericKubernetesResource backup = cnpg.awaitBackup(shop.namespace, Duration.ofSeconds(60));
        Map<String, Object> spec = backup.get("spec");
        assertThat(spec).containsEntry("method", "volumeSnapshot").containsEntry("cluster", Map.of("name", "shop-db"));
        cnpg.running(backup);
        ManagedUpgrade waiting = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getConditions().stream()
                .anyMatch(c -> c.getMessage() != null && c.getMessage().contains("(phase running)")));
        assertThat(waiting.getStatus().getUpgrade().getSteps()).extracting(StepRecord::step)
                .as("nothing migrates while the backup runs").doesNotContain(UpgradeStep.Migrate);
        assertThat(shop.appliedMigrations()).containsExactly("1");
        cnpg.completed(backup, "20261206T040000");

        ManagedUpgrade done = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getHistory() != null
                && !r.getStatus().getHistory().isEmpty());
        HistoryEntry entry = done.getStatus().getHistory().get(0);
        assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded);
        assertThat(entry.steps()).extracting(StepRecord::name).containsSubsequence("Quiesce", "Backup", "Migrate 1.1.0");
        BackupStatus recorded = entry.backup();
        assertThat(recorded.method()).isEqualTo(BackupMethod.CloudNativePG);
        assertThat(recorded.cloudNativePGBackup()).isEqualTo(backup.getMetadata().getName()).startsWith("shop-db-slipway-");
        assertThat(recorded.summary()).contains("backupId 20261206T040000", "method volumeSnapshot");
        assertThat(recorded.takenAt()).isNotNull();
        assertThat(cnpg.backups(shop.namespace)).hasSize(1);
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");

        // Slipway does not restore it (CloudNativePG restores into a new Cluster): an explicit restore is refused with
        // the manual procedure, and nothing starts.
        String writesSince = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() == null)
                .getStatus().getHistory().get(0).backup().writesSince();
        editSpec(shop.namespace, "shop", r -> {
            ActionsSpec actions = new ActionsSpec();
            actions.setRestore(new RestoreAction(recorded.cloudNativePGBackup(), writesSince));
            r.getSpec().setActions(actions);
        });
        ManagedUpgrade refused = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getConditions().stream()
                .anyMatch(c -> "RestoreRequested".equals(c.getType()) && "False".equals(c.getStatus())));
        assertThat(refused.getStatus().getConditions()).filteredOn(c -> "RestoreRequested".equals(c.getType()))
                .singleElement().satisfies(c -> {
                    assertThat(c.getReason()).isEqualTo("RestoreUnsupported");
                    assertThat(c.getMessage()).contains("spec.actions.restore.backup " + recorded.cloudNativePGBackup(),
                            "CloudNativePG", "bootstrap a new Cluster", ".bootstrap.recovery.backup.name");
                });
        assertThat(refused.getStatus().getUpgrade()).as("nothing started").isNull();
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
    }

    @Test
    void aFailedBackupStopsTheUpgradeBeforeAnyMigrationWithCloudNativePgsError() throws Exception {
        shop = new ShopFixture(client, "cnpg-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        cnpg.shopCluster(shop.namespace);
        Ingress original = shop.ingress();
        client.resource(shop.resourceWithBackup("shop", ShopFixture.cloudNativePg(null))).create();

        GenericKubernetesResource backup = cnpg.awaitBackup(shop.namespace, Duration.ofSeconds(60));
        assertThat(backup.<Map<String, Object>>get("spec")).as("the default method")
                .containsEntry("method", "barmanObjectStore");
        cnpg.running(backup);
        cnpg.failed(backup, "can't execute backup: exit status 1 (barman-cloud-backup: bucket not found)");

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);
        UpgradeProgress progress = failed.getStatus().getUpgrade();
        assertThat(progress.getFailedStep()).isEqualTo(UpgradeStep.Backup);
        assertThat(progress.getSteps()).extracting(StepRecord::step).contains(UpgradeStep.RollBack)
                .doesNotContain(UpgradeStep.Migrate);
        assertThat(progress.getFailureReason()).isEqualTo(UpgradeFailure.BackupFailed);
        assertThat(progress.getFailureMessage()).contains("CloudNativePG Backup " + backup.getMetadata().getName()
                + " failed: can't execute backup: exit status 1 (barman-cloud-backup: bucket not found)",
                "nothing was migrated");
        assertThat(failed.getStatus().getHistory()).singleElement().satisfies(entry -> assertThat(entry.message())
                .contains("bucket not found"));
        assertThat(shop.appliedMigrations()).as("the Flyway history is unchanged").containsExactly("1");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(client.getKubernetesSerialization().asJson(shop.ingress().getSpec()))
                .isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
    }

    @Test
    void aMigrationFailingAfterACommitHoldsAndSaysHowToRestoreTheBackup() throws Exception {
        shop = new ShopFixture(client, "cnpg-" + NAMESPACES.incrementAndGet(),
                new SampleApplication().breakMigration("1.2.0"));
        cnpg.shopCluster(shop.namespace);
        BackupSpec spec = ShopFixture.cloudNativePg(CloudNativePgBackupSpec.Method.VolumeSnapshot);
        spec.setRestoreOnFailure(true);
        client.resource(shop.resourceWithBackup("shop", spec)).create();
        GenericKubernetesResource backup = cnpg.awaitBackup(shop.namespace, Duration.ofSeconds(60));
        cnpg.completed(backup, "20261206T041500");

        ManagedUpgrade held = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.Failed);

        UpgradeProgress progress = held.getStatus().getUpgrade();
        assertThat(progress.getFailedStep()).isEqualTo(UpgradeStep.Migrate);
        assertThat(progress.getSteps()).extracting(StepRecord::step).as("CloudNativePG restores into a new cluster: "
                + "never automatically").doesNotContain(UpgradeStep.Restore);
        String name = backup.getMetadata().getName();
        String procedure = "kubectl get cluster shop-db -n " + shop.namespace + " -o json | jq '{apiVersion, kind, "
                + "metadata: {name: \"shop-db-restored\", namespace: .metadata.namespace}, spec: (.spec | "
                + "del(.bootstrap) | .bootstrap.recovery.backup.name = \"" + name + "\")}' | kubectl apply -f -";
        assertThat(progress.getFailureMessage()).contains("to restore CloudNativePG Backup " + name, procedure,
                "kubectl wait cluster/shop-db-restored");
        Condition failing = held.getStatus().getConditions().stream().filter(c -> c.getType().equals("Failing"))
                .findFirst().orElseThrow();
        assertThat(failing.getMessage()).contains(procedure);
        assertThat(shop.appliedMigrations()).as("1.1.0 committed, 1.2.0 rolled back").containsExactly("1", "2");
    }

    /**
     * CloudNativePG keeps a Backup of an unknown Cluster pending (retrying every 30 s) and fails one whose Cluster does
     * not configure the method: both are refused in Preflight, before the page goes up, naming the field.
     */
    @Test
    void aMissingClusterOrMethodIsRefusedInPreflightBeforeThePageGoesUp() throws Exception {
        shop = new ShopFixture(client, "cnpg-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        client.resource(shop.resourceWithBackup("shop", ShopFixture.cloudNativePg(null))).create();

        UpgradeProgress noCluster = awaitRefusal();
        assertThat(noCluster.getFailureMessage()).contains("spec.database.backup.cloudNativePG.cluster: there is no "
                + "CloudNativePG Cluster shop-db in namespace " + shop.namespace, "nothing was changed");

        cnpg.cluster(shop.namespace, ShopFixture.CLOUD_NATIVE_PG_CLUSTER, "volumeSnapshot");
        editSpec(shop.namespace, "shop", r -> {
            r.getSpec().setActions(new ActionsSpec());
            r.getSpec().getActions().setRetry("cluster-created");
        });
        UpgradeProgress noMethod = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getFailureMessage() != null
                && r.getStatus().getUpgrade().getFailureMessage().contains("spec.backup.barmanObjectStore"))
                .getStatus().getUpgrade();
        assertThat(noMethod.getFailedStep()).isEqualTo(UpgradeStep.Preflight);
        assertThat(noMethod.getFailureMessage()).contains("spec.database.backup.cloudNativePG.method is "
                + "barmanObjectStore but CloudNativePG Cluster shop-db has no spec.backup.barmanObjectStore section");
        assertThat(shop.deployment("shop-maintenance")).as("the maintenance page never went up").isNull();
        assertThat(cnpg.backups(shop.namespace)).isEmpty();
        assertThat(shop.appliedMigrations()).containsExactly("1");
    }

    private UpgradeProgress awaitRefusal() {
        UpgradeProgress progress = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack).getStatus().getUpgrade();
        assertThat(progress.getFailedStep()).isEqualTo(UpgradeStep.Preflight);
        assertThat(progress.getFailureReason()).isEqualTo(UpgradeFailure.BackupNotPermitted);
        return progress;
    }
}
