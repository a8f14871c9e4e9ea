package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster commands through the real entry point (Quarkus boots, picocli dispatches), against the RBAC-enforcing
 * test API server through a kubeconfig file, as a user runs them: the CLI's own client, never the application's.
 */
@QuarkusMainTest
@TestProfile(CliTestProfile.class)
class ClusterCommandsMainTest {

    private static final UserApiServer.User ALICE = UserApiServer.User.withRules("alice",
            UserApiServer.managedUpgrades("get", "list", "patch"));
    private static final UserApiServer.User BOB = UserApiServer.User.withRules("bob",
            UserApiServer.managedUpgrades("get", "list"));

    private static UserApiServer server;
    private static Path directory;

    @BeforeAll
    static void startServer() throws IOException {
        server = new UserApiServer(ALICE, BOB);
        directory = Files.createTempDirectory("slipway-cluster-main");
        ManagedUpgrade resource = StatusTextGoldenTest.read(StatusTextGoldenTest.CASES.resolve("waiting-for-approval"));
        ManagedUpgradeStatus status = resource.getStatus();
        resource.setStatus(null);
        resource.getMetadata().setGeneration(null);
        ManagedUpgrade created = server.fixtures().resource(resource).create();
        created.setStatus(status);
        server.fixtures().resource(created).updateStatus();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    @Test
    void statusThenApproveAsTheKubeconfigsUser(QuarkusMainLauncher launcher) throws IOException {
        String alice = server.kubeconfig(directory, ALICE).toString();
        String bob = server.kubeconfig(directory, BOB).toString();

        LaunchResult status = launcher.launch("status", "shop", "--kubeconfig", bob);
        LaunchResult refused = launcher.launch("approve", "shop", "--kubeconfig", bob);
        LaunchResult approved = launcher.launch("approve", "shop", "1.2.0", "--kubeconfig", alice);

        assertThat(status.exitCode()).as(status.getErrorOutput()).isZero();
        assertThat(status.getOutput()).startsWith("shop/shop is at 1.0.0; the upgrade to 1.2.0 waits for approval:"
                + " slipway approve shop -n shop.").contains("Phase:        WaitingForApproval");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.getErrorOutput()).contains("error: patch of ManagedUpgrade shop/shop refused (403"
                + " Forbidden)").doesNotContain("Exception");
        assertThat(approved.exitCode()).as(approved.getErrorOutput()).isZero();
        assertThat(approved.getOutput()).startsWith("ManagedUpgrade shop/shop: spec.policy.approvedVersion: 1.0.5 →"
                + " 1.2.0 (requested by alice). Next: the upgrade to 1.2.0 starts at the next window, Sat 28 Nov 02:00"
                + " Europe/Berlin");
        assertThat(server.fixtures().resources(ManagedUpgrade.class).inNamespace("shop").withName("shop").get()
                .getSpec().getPolicy().getApprovedVersion()).isEqualTo("1.2.0");
    }

    @Test
    void everyClusterCommandPrintsItsUsageWithTheClusterOptions(QuarkusMainLauncher launcher) {
        for (String command : new String[] {"status", "approve", "select-version", "start-now", "pause", "resume",
                "retry", "abandon", "restore"}) {
            LaunchResult help = launcher.launch(command, "--help");

            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.getOutput()).startsWith("Usage: slipway " + command).contains("--kubeconfig", "--context",
                    "--namespace");
        }
    }
}
