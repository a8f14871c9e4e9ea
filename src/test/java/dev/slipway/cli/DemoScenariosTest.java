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
 * {@code demo --scenario} through the real entry point, as {@link DemoMainTest} runs the default (page) scenario:
 * each scenario's summary, with the downtime a loopback visitor of the shop measured.
 */
@QuarkusMainTest
@TestProfile(WindowsMainTest.QuietRelaunch.class)
class DemoScenariosTest {

    private static final String QUARKUS_HTTP_PORT = "quarkus.http.port";
    private static final String HTTP_ENABLED = "quarkus.http.host-enabled";
    private static String portBefore;

    /** As in {@link DemoMainTest}: the demo's status API on any free port, even after a command that turned it off. */
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
                + "zero-downtime, not 'blue-green'");
    }
}
