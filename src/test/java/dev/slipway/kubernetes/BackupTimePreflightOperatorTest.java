package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BetweenSpec;
import dev.slipway.api.v1alpha1.spec.MaintenanceSpec;
import dev.slipway.api.v1alpha1.spec.WindowSpec;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The time half of the backup preflight on the CRUD API server with a real PostgreSQL: at the copy rate configured here
 * (1 KiB/s) the shop's database takes hours to back up, longer than the window the upgrade starts in.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(BackupTimePreflightOperatorTest.SlowBackups.class)
class BackupTimePreflightOperatorTest extends OperatorTestBase {

    /** A backup copies 1 KiB per second. */
    public static class SlowBackups implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("slipway.database.backup-throughput", "1024");
        }
    }

    @Test
    void aBackupThatWouldOutlastTheWindowIsRefusedBeforeThePageGoesUp() throws Exception {
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client).start();
             ShopFixture shop = new ShopFixture(client, "backup-time-1", new SampleApplication())) {
            shop.allowCreatedb();
            Instant now = Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS);
            Instant windowEnd = now.plus(Duration.ofMinutes(30));
            ManagedUpgrade resource = shop.resourceWithBackup("shop");
            resource.getSpec().setMaintenance(oneOff(now.minus(Duration.ofMinutes(1)), windowEnd));
            client.resource(resource).create();

            ManagedUpgrade refused = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                    && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);

            UpgradeProgress progress = refused.getStatus().getUpgrade();
            assertThat(progress.getFailedStep()).isEqualTo(UpgradeStep.Preflight);
            assertThat(progress.getFailureReason()).isEqualTo(UpgradeFailure.BackupWouldOverrunWindow);
            assertThat(progress.getFailureMessage()).contains("the backup of database " + shop.database.name(),
                    "at 1.0 KiB (1024 bytes) per second (slipway.database.backup-throughput)",
                    "but the maintenance window ends at " + windowEnd);
            assertThat(refused.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Failing");
                assertThat(c.getReason()).isEqualTo("BackupWouldOverrunWindow");
            });
            assertThat(progress.getSteps()).extracting(StepRecord::step).doesNotContain(UpgradeStep.PageUp);
            assertThat(shop.deployment("shop-maintenance")).as("the maintenance page never went up").isNull();
            assertThat(shop.backups()).isEmpty();
            assertThat(shop.appliedMigrations()).containsExactly("1");
        }
    }

    private static MaintenanceSpec oneOff(Instant start, Instant end) {
        WindowSpec window = new WindowSpec();
        window.setName("one-off");
        BetweenSpec between = new BetweenSpec();
        between.setStart(start.toString());
        between.setEnd(end.toString());
        window.setBetween(between);
        MaintenanceSpec maintenance = new MaintenanceSpec();
        maintenance.setTimeZone("UTC");
        maintenance.setWindows(List.of(window));
        return maintenance;
    }
}
