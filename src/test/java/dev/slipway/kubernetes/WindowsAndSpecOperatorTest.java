package dev.slipway.kubernetes;

import dev.slipway.api.v1alpha1.status.Phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BetweenSpec;
import dev.slipway.api.v1alpha1.spec.MaintenanceSpec;
import dev.slipway.api.v1alpha1.spec.WindowSpec;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window gate and spec validation, as an admin sees them in status. */
@QuarkusTest
@WithKubernetesTestServer
class WindowsAndSpecOperatorTest extends OperatorTestBase {

    private static MaintenanceSpec oneOff(Instant start, Instant end) {
        WindowSpec window = new WindowSpec();
        window.setName("one-off");
        BetweenSpec between = new BetweenSpec();
        between.setStart(start.toString());
        between.setEnd(end.toString());
        window.setBetween(between);
        MaintenanceSpec maintenance = new MaintenanceSpec();
        maintenance.setTimeZone("Europe/Berlin");
        maintenance.setWindows(List.of(window));
        return maintenance;
    }

    @Test
    void anAvailableUpgradeWaitsForItsWindowAndStartsWhenOneIsOpen() throws Exception {
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client).start();
             ShopFixture shop = new ShopFixture(client, "windows-1", new SampleApplication())) {
            Instant tomorrow = Clock.systemUTC().instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofDays(1));
            ManagedUpgrade resource = shop.resource("shop");
            resource.getSpec().setMaintenance(oneOff(tomorrow, tomorrow.plus(Duration.ofHours(4))));
            client.resource(resource).create();

            ManagedUpgrade waiting = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getPhase() == Phase.WaitingForWindow);
            assertThat(waiting.getStatus().getMaintenance().nextWindow().start()).isEqualTo(tomorrow.toString());
            assertThat(waiting.getStatus().getMaintenance().canStartNow()).isFalse();
            assertThat(waiting.getStatus().getMaintenance().reason()).isEqualTo("OutsideWindow");
            assertThat(waiting.getStatus().getTargetVersion()).isEqualTo("2.0.0");
            assertThat(shop.appliedMigrations()).containsExactly("1");
            // The Event follows the status write.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    client.v1().events().inNamespace(shop.namespace).list().getItems())
                    .extracting(e -> e.getReason()).contains("UpgradeDeferred"));

            Instant now = Clock.systemUTC().instant();
            editSpec(shop.namespace, "shop", r -> r.getSpec().setMaintenance(oneOff(now.minus(Duration.ofHours(1)),
                    now.plus(Duration.ofHours(3)))));
            awaitStatus(shop.namespace, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion()));
        }
    }

    @Test
    void anInvalidFieldIsNamedInStatusAndOtherResourcesKeepWorking() {
        namespace("invalid-1");
        ManagedUpgrade broken = managedUpgrade("invalid-1", "broken", "http://127.0.0.1:9/", "acme", "1.0.0");
        MaintenanceSpec maintenance = oneOff(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T04:00:00Z"));
        maintenance.setTimeZone("UTC+2");
        broken.getSpec().setMaintenance(maintenance);
        client.resource(broken).create();
        ManagedUpgrade other = managedUpgrade("invalid-1", "other", "http://127.0.0.1:9/", "acme", "1.0.0");
        other.getSpec().getReleaseSource().setPollInterval("2s");
        client.resource(other).create();

        ManagedUpgrade invalid = awaitStatus("invalid-1", "broken", r -> r.getStatus().getPhase() == Phase.Invalid);
        assertThat(invalid.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("InvalidSpec");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getMessage()).startsWith("spec.maintenance.timeZone");
        });
        ManagedUpgrade tooFast = awaitStatus("invalid-1", "other", r -> r.getStatus().getPhase() == Phase.Invalid);
        assertThat(tooFast.getStatus().getConditions()).anySatisfy(c ->
                assertThat(c.getMessage()).isEqualTo("spec.releaseSource.pollInterval: must be at least 5s"));

        ManagedUpgrade fine = managedUpgrade("invalid-1", "fine", "http://127.0.0.1:9/", "acme", "1.0.0");
        client.resource(fine).create();
        ManagedUpgrade unreachable = awaitStatus("invalid-1", "fine", r -> r.getStatus().getLastFeedPoll() != null);
        assertThat(unreachable.getStatus().getLastFeedPoll().result()).isEqualTo("Error");
        assertThat(unreachable.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("ReleasesRetrieved");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getMessage()).contains("Unreachable");
        });
    }
}
