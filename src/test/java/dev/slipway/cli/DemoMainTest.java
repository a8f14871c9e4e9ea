package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README command 1 through the real entry point: SlipwayMain starts the in-process Kubernetes API, Quarkus boots
 * against it, and the demo upgrades the sample shop with a throwaway PostgreSQL. Pods start at once here
 * ({@code --ready-delay 0}) and the page takes any free port. {@code --scenario zero-downtime} runs the same story without
 * the page, and its summary shows the downtime a loopback visitor of the shop measured: none. {@code first-install}
 * installs 2.0.0 into an empty database; {@code backup-restore} restores the backup after 2.0.0's migration fails and
 * exits 0 when the orders are as before.
 */
@QuarkusMainTest
@TestProfile(WindowsMainTest.QuietRelaunch.class)
class DemoMainTest {

    private static final String QUARKUS_HTTP_PORT = "quarkus.http.port";
    private static final String HTTP_ENABLED = "quarkus.http.host-enabled";
    private static String portBefore;

    /**
     * SlipwayMain moves the demo's Quarkus HTTP to 8081 unless a port is set; here any free port will do. It also turns
     * Quarkus HTTP off (a system property) for commands that serve nothing, and the launcher runs every main test in
     * this JVM: an earlier test's `status` or `plan` must not leave the demo without its status API.
     */
    @BeforeAll
    static void anyFreeQuarkusPort() {
        System.clearProperty(HTTP_ENABLED);
        portBefore = System.setProperty(QUARKUS_HTTP_PORT, "0");
    }

    @AfterAll
    static void restoreQuarkusPort() {
        if (portBefore == null) {
            System.clearProperty(QUARKUS_HTTP_PORT);
        } else {
            System.setProperty(QUARKUS_HTTP_PORT, portBefore);
        }
    }

    @Test
    @Launch({"demo", "--port", "0", "--ready-delay", "1s"})
    void upgradesTheShopThroughItsRequiredStopAndSummarizesWhatChanged(LaunchResult result) {
        assertThat(result.getOutput())
                .contains("Quiescing: waiting for 3 pods to terminate")
                .contains("Quiescing: quiesced: no pod left, 0 application sessions left")
                .contains("Migrating the database to 1.1.0 (schema 2) (hop 1 of 3)")
                .contains("Starting 1.1.0 before the next hop (hop 1 of 3)")
                .contains("migration applied: V4 order placed at")
                .contains("Upgrade succeeded: 1.0.0 -> 2.0.0")
                .contains("path:        1.0.0 -> 1.1.0 -> 1.2.0 -> 2.0.0 (3 hops)")
                .contains("migrations:  3 applied (V2 order status, V3 customers, V4 order placed at), "
                        + "database at schema 4")
                .contains("ingress:     restored exactly as before the upgrade")
                .contains("replicas:    web=2, worker=1 (as before the upgrade)")
                .as("behind the page for at least the pods' 1 s start").containsPattern("downtime:    [1-9][0-9]*\\.[0-9] s");
        assertThat(result.getOutput()).as("every URL the demo serves, with a port the server really took")
                .containsPattern("Maintenance page  http://localhost:[1-9][0-9]*/")
                .containsPattern("Status API        http://localhost:[1-9][0-9]*/api/v1/namespaces/shop/"
                        + "managedupgrades/shop\n")
                .containsPattern("Metrics           http://localhost:[1-9][0-9]*/q/metrics\n")
                .containsPattern("Health            http://localhost:[1-9][0-9]*/q/health\n")
                .containsPattern("Kubernetes API    http://[^ ]+:[1-9][0-9]*/ \\(in-process\\): kubectl "
                        + "--kubeconfig [^ ]+kubeconfig get mu -A\n")
                .containsPattern("Release API       http://[^ ]+/v1/products/acme-shop/releases\n");
    }

    @Test
    @Launch({"demo", "--help"})
    void helpExplainsTheReadyDelay(LaunchResult result) {
        assertThat(result.getOutput().replaceAll("\\s+", " ")).contains("--ready-delay=DURATION How long each "
                + "simulated pod takes to start or stop, as a Kubernetes duration (500ms, 3s, 1m)");
    }

    @Test
    @Launch(value = {"demo", "--port", "0", "--ready-delay", "0", "--break-migration", "1.2.0"}, exitCode = 1)
    void aMigrationFailingAfterTheFirstHopExitsOneAndSaysWhereItStopped(LaunchResult result) {
        assertThat(result.getOutput()).contains("migration applied: V2 order status")
                .doesNotContain("Upgrade succeeded");
        assertThat(result.getErrorOutput())
                .contains("error: the upgrade from 1.0.0 to 2.0.0 ended Failed at step Migrate 1.2.0 (MigrationFailed)")
                .doesNotContain("Exception");
        assertThat(result.getOutput())
                .contains("Where things stand: the shop is behind the maintenance page. Migrate 1.2.0 failed "
                        + "(MigrationFailed) after earlier hops had committed: the database is at 1.1.0 (schema 2)")
                .containsPattern("kubectl --kubeconfig [^ ]+kubeconfig -n shop patch managedupgrade shop --type merge "
                        + "-p '\\{\"spec\":\\{\"actions\":\\{\"retry\":\"1\"}}}'")
                .containsPattern("kubectl --kubeconfig [^ ]+kubeconfig -n shop patch managedupgrade shop --type merge "
                        + "-p '\\{\"spec\":\\{\"actions\":\\{\"abandon\":\"1\"}}}'")
                .contains("start it with --keep-running to try them");
    }

    @Test
    @Launch(value = {"demo", "--port", "0", "--ready-delay", "0", "--break-migration", "1.1.0"}, exitCode = 1)
    void aMigrationFailingInTheFirstHopIsRolledBackAndTheDemoSaysSo(LaunchResult result) {
        assertThat(result.getErrorOutput())
                .contains("error: the upgrade from 1.0.0 to 2.0.0 ended RolledBack at step Migrate 1.1.0");
        assertThat(result.getOutput())
                .contains("Where things stand: the upgrade was rolled back. Migrate 1.1.0 failed (MigrationFailed) "
                        + "before any migration committed")
                .contains("the shop serves its own traffic at 1.0.0 again and the database is at 1.0.0 (schema 1)")
                .contains("\"retry\":\"1\"")
                .doesNotContain("abandon");
    }

    @Test
    @Launch(value = {"demo", "--port", "0", "--break-migration", "3.0.0"}, exitCode = 2)
    void anUnknownReleaseToBreakIsAUsageError(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("--break-migration must be one of 1.1.0, 1.2.0, 2.0.0, not 3.0.0");
    }

    @Test
    @Launch({"demo", "--port", "0", "--ready-delay", "1s", "--scenario", "zero-downtime"})
    void zeroDowntimeUpgradesEveryHopWithoutThePageAndTheVisitorSeesNoDowntime(LaunchResult result) {
        assertThat(result.getOutput())
                .contains("Upgrade succeeded: 1.0.0 -> 2.0.0")
                .contains("path:        1.0.0 -> 1.1.0 -> 1.2.0 -> 2.0.0 (3 hops)")
                .contains("downtime:    0 s (seen by a visitor polling the shop every 20 ms)")
                .contains("migrations:  3 applied (V2 order status, V3 customers, V4 order placed at), "
                        + "database at schema 4")
                .contains("ingress:     restored exactly as before the upgrade")
                .contains("replicas:    web=2, worker=1 (as before the upgrade)")
                .doesNotContain("Quiescing");
    }

    @Test
    @Launch(value = {"demo", "--port", "0", "--scenario", "blue-green"}, exitCode = 2)
    void anUnknownScenarioIsAUsageErrorNamingTheChoices(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("Invalid value for option '--scenario': expected one of page, "
                + "zero-downtime, first-install, backup-restore, not 'blue-green'");
    }

    @Test
    @Launch({"demo", "--port", "0", "--ready-delay", "0", "--scenario", "first-install"})
    void firstInstallMigratesTheEmptyDatabaseAndStartsTheNewestReleaseWithoutThePage(LaunchResult result) {
        assertThat(result.getOutput())
                .contains("acme-shop is not installed yet (an empty database, its Deployments at 0 replicas")
                .containsPattern("Maintenance page  http://localhost:[1-9][0-9]*/  \\(not used: nothing was served "
                        + "before")
                .contains("Installed: none -> 2.0.0 (first install: the database was empty)")
                .contains("path:        the bundles of 1.1.0 -> 1.2.0 -> 2.0.0 in order; the shop started only at 2.0.0")
                .contains("downtime:    none: nothing was served before the install")
                .contains("migrations:  4 applied (V1 create orders, V2 order status, V3 customers, V4 order placed "
                        + "at), database at schema 4")
                .contains("images:      web=2.0.0, worker=2.0.0\n")
                .contains("ingress:     untouched: no maintenance page was put up")
                .contains("replicas:    web=2, worker=1 (from 0, as spec.application.components[].replicas declares)")
                .doesNotContain("Quiescing")
                .doesNotContain("Starting the maintenance page")
                .doesNotContain("Sending visitors to the maintenance page")
                .doesNotContain("Upgrade succeeded");
        assertThat(result.getErrorOutput()).doesNotContain("error:");
    }

    @Test
    @Launch({"demo", "--port", "0", "--ready-delay", "0", "--scenario", "backup-restore"})
    void backupRestoreRestoresTheBackupAfterALaterMigrationFailsAndTheOrdersAreAsBefore(LaunchResult result) {
        assertThat(result.getOutput())
                .contains("Rehearsing a failure: the migration of 2.0.0 is broken on purpose.")
                .containsPattern("BackupTaken: [^\\n]*shop_[0-9]+_[0-9a-f]{6}_slipway_1_0_0_[0-9]{14}")
                .contains("migration applied: V3 customers")
                .contains("Upgrade rolled back and database restored: 1.0.0 -> 2.0.0 failed at Migrate 2.0.0 "
                        + "(MigrationFailed)")
                .contains("path:        1.0.0 -> 1.1.0 -> 1.2.0 -> 2.0.0 (3 hops; 1.1.0, 1.2.0 had committed)")
                .containsPattern("backup:      shop_[0-9]+_[0-9a-f]{6}_slipway_1_0_0_[0-9]{14}, [0-9.]+ [KMG]iB "
                        + "\\([0-9]+ bytes\\), taken before the first migration, now the database again")
                .containsPattern("kept:        the failed database as shop_[0-9]+_[0-9a-f]{6}_slipway_failed_[0-9]{14}")
                .contains("data:        3 orders, identical to before the upgrade (compared row by row)")
                .contains("schema:      1 (1.0.0's)")
                .contains("images:      web=1.0.0, worker=1.0.0 (as before the upgrade)")
                .contains("ingress:     restored exactly as before the upgrade")
                .contains("replicas:    web=2, worker=1 (as before the upgrade)")
                .containsPattern("downtime:    [0-9]+\\.[0-9] s \\(seen by a visitor")
                .doesNotContain("Where things stand");
        assertThat(result.getErrorOutput()).doesNotContain("error:");
    }

    @Test
    @Launch(value = {"demo", "--port", "0", "--scenario", "backup-restore", "--break-migration", "1.1.0"},
            exitCode = 2)
    void backupRestoreBreakingTheFirstHopIsAUsageErrorSayingWhy(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("--break-migration must be one of 1.2.0, 2.0.0 with --scenario "
                + "backup-restore, not 1.1.0: the backup is restored only when a migration fails after an earlier "
                + "hop committed");
    }

    @Test
    @Launch(value = {"demo", "--port", "0", "--scenario", "first-install", "--break-migration", "2.0.0"},
            exitCode = 2)
    void firstInstallWithABrokenMigrationIsAUsageError(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("--break-migration does not combine with --scenario "
                + "first-install");
    }
}
