package dev.slipway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What each scenario sets up: the releases, which migration breaks, and its part of the ManagedUpgrade. */
class DemoScenarioTest {

    private static final List<String> UPGRADES = List.of("1.1.0", "1.2.0", "2.0.0");
    private static final String HEALTH = "http://127.0.0.1:1/healthz";

    @Test
    void theChoicesAreTheOptionNamesInOrder() {
        assertThat(DemoScenario.choices()).isEqualTo("page, zero-downtime, first-install, backup-restore");
        assertThat(DemoScenario.parse("backup-restore")).isEqualTo(DemoScenario.BACKUP_RESTORE);
        assertThatThrownBy(() -> DemoScenario.parse("blue-green")).hasMessage("expected one of page, zero-downtime, "
                + "first-install, backup-restore, not 'blue-green'");
    }

    @Test
    void pageAndZeroDowntimeBreakOnlyWhatTheyAreToldTo() {
        assertThat(DemoScenario.PAGE.brokenMigration(null, UPGRADES)).isNull();
        assertThat(DemoScenario.ZERO_DOWNTIME.brokenMigration("1.1.0", UPGRADES)).isEqualTo("1.1.0");
        assertThatThrownBy(() -> DemoScenario.PAGE.brokenMigration("3.0.0", UPGRADES))
                .hasMessage("--break-migration must be one of 1.1.0, 1.2.0, 2.0.0, not 3.0.0");
    }

    @Test
    void backupRestoreBreaksTheLastReleaseUnlessToldALaterHopThanTheFirst() {
        assertThat(DemoScenario.BACKUP_RESTORE.brokenMigration(null, UPGRADES)).isEqualTo("2.0.0");
        assertThat(DemoScenario.BACKUP_RESTORE.brokenMigration("1.2.0", UPGRADES)).isEqualTo("1.2.0");
        assertThatThrownBy(() -> DemoScenario.BACKUP_RESTORE.brokenMigration("1.1.0", UPGRADES))
                .hasMessageStartingWith("--break-migration must be one of 1.2.0, 2.0.0 with --scenario "
                        + "backup-restore, not 1.1.0: the backup is restored only when");
        assertThat(DemoScenario.BACKUP_RESTORE.application("2.0.0").releases())
                .filteredOn(release -> release.migrationSql().contains("no_such_table"))
                .extracting(SampleApplication.SampleRelease::version).containsExactly("2.0.0");
    }

    @Test
    void firstInstallRehearsesNoBrokenMigration() {
        assertThat(DemoScenario.FIRST_INSTALL.brokenMigration(null, UPGRADES)).isNull();
        assertThatThrownBy(() -> DemoScenario.FIRST_INSTALL.brokenMigration("2.0.0", UPGRADES))
                .hasMessageStartingWith("--break-migration does not combine with --scenario first-install");
    }

    @Test
    void firstInstallStatesNothingIsInstalledAndTheReplicasEachComponentStartsWith() {
        ManagedUpgrade upgrade = configured(DemoScenario.FIRST_INSTALL);

        assertThat(upgrade.getSpec().getApplication().getInstalledVersion()).isEqualTo("none");
        assertThat(upgrade.getSpec().getApplication().getComponents().stream()
                .collect(Collectors.toMap(ComponentSpec::getName, ComponentSpec::getReplicas)))
                .isEqualTo(Map.of("web", 2, "worker", 1));
        assertThat(upgrade.getSpec().getApplication().getHealthCheck().getUrl()).isEqualTo(HEALTH);
        assertThat(upgrade.getSpec().getDatabase().getBackup()).isNull();
    }

    @Test
    void backupRestoreTakesATemplateCloneAndRestoresItOnFailure() {
        ManagedUpgrade upgrade = configured(DemoScenario.BACKUP_RESTORE);

        assertThat(upgrade.getSpec().getDatabase().getBackup().getMethod()).isEqualTo(BackupMethod.TemplateClone);
        assertThat(upgrade.getSpec().getDatabase().getBackup().getRestoreOnFailure()).isTrue();
        assertThat(upgrade.getSpec().getApplication().getInstalledVersion()).isNull();
    }

    @Test
    void pageConfiguresNothingAndZeroDowntimeGatesOnTheVisitorsHealthCheckWithASoak() {
        ManagedUpgrade page = configured(DemoScenario.PAGE);
        assertThat(page.getSpec().getApplication().getHealthCheck()).isNull();
        assertThat(page.getSpec().getDatabase().getBackup()).isNull();

        ManagedUpgrade zeroDowntime = configured(DemoScenario.ZERO_DOWNTIME);
        assertThat(zeroDowntime.getSpec().getApplication().getHealthCheck().getUrl()).isEqualTo(HEALTH);
        assertThat(zeroDowntime.getSpec().getApplication().getHealthCheck().getSoak()).isEqualTo("1s");
        assertThat(DemoScenario.ZERO_DOWNTIME.application(null).feedJson()).contains("\"mode\":\"backward\"");
        assertThat(DemoScenario.PAGE.application(null).feedJson()).doesNotContain("compatibility");
    }

    private static ManagedUpgrade configured(DemoScenario scenario) {
        ManagedUpgrade upgrade = new SampleApplication().managedUpgrade("shop", "shop", "http://127.0.0.1:2/");
        scenario.configure(upgrade, HEALTH);
        return upgrade;
    }
}
