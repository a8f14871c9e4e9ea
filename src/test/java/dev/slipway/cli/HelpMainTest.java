package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** Help through the real entry point: every way of asking prints the usage and exits 0, and starts nothing. */
@QuarkusMainTest
@TestProfile(CliTestProfile.class)
class HelpMainTest {

    /** SlipwayMain switches Quarkus HTTP off through this property for every role that serves nothing. */
    private static final String HTTP_ENABLED = "quarkus.http.host-enabled";

    @Test
    void commandsWithRequiredOptionsPrintTheirHelpInsteadOfComplainingAboutThem(QuarkusMainLauncher launcher) {
        for (String command : new String[] {"plan", "verify", "migrate", "drift", "snapshot", "windows"}) {
            for (String option : new String[] {"--help", "-h"}) {
                LaunchResult result = launcher.launch(command, option);

                assertThat(result.exitCode()).as(command + " " + option + ": " + result.getErrorOutput()).isZero();
                assertThat(result.getOutput()).startsWith("Usage: slipway " + command);
                assertThat(result.getErrorOutput()).doesNotContain("Missing required");
            }
        }
    }

    @Test
    void helpCommandAndTopLevelHelpPrintUsage(QuarkusMainLauncher launcher) {
        LaunchResult helpPlan = launcher.launch("help", "plan");
        LaunchResult top = launcher.launch("-h");

        assertThat(helpPlan.exitCode()).isZero();
        assertThat(helpPlan.getOutput()).startsWith("Usage: slipway plan").contains("--allow");
        assertThat(top.exitCode()).isZero();
        assertThat(top.getOutput()).startsWith("Usage: slipway").contains("verify", "migrate", "help");
    }

    @Test
    void serverRolesPrintHelpWithoutStartingAnyServer(QuarkusMainLauncher launcher) {
        for (String role : new String[] {"operator", "maintenance-page", "demo"}) {
            System.clearProperty(HTTP_ENABLED);

            LaunchResult result = launcher.launch(role, "--help");

            assertThat(result.exitCode()).as(role).isZero();
            assertThat(result.getOutput()).startsWith("Usage: slipway " + role);
            assertThat(System.getProperty(HTTP_ENABLED)).as(role + ": Quarkus HTTP switched off").isEqualTo("false");
        }
    }
}
