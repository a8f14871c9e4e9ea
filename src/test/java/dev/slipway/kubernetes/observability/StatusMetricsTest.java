package dev.slipway.kubernetes.observability;

import static dev.slipway.testing.StatusFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.MaintenanceStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.testing.Crds;
import dev.slipway.testing.MetricsScrape;
import dev.slipway.testing.StatusFixtures;
import dev.slipway.testing.WithoutOperatorProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer
@TestProfile(WithoutOperatorProfile.class)
class StatusMetricsTest {

    @Inject
    KubernetesClient client;

    @Inject
    StatusMetrics statusMetrics;

    /** Stands in for the controller's informer, which this profile does not start. */
    private SharedIndexInformer<ManagedUpgrade> informer;

    @BeforeEach
    void watch() {
        Crds.applyManagedUpgrade(client);
        informer = client.resources(ManagedUpgrade.class).inAnyNamespace().inform();
        statusMetrics.readFrom(() -> informer.getStore().list().stream());
        statusMetrics.start();
    }

    @AfterEach
    void stopWatching() {
        informer.stop();
    }

    @Test
    void gaugesFollowTheStatusPhaseAvailableUpdatesAndNextWindow() {
        StatusFixtures.createWithStatus(client, "metrics-a", "shop", StatusFixtures.upgrading());

        awaitScrape(scrape -> {
            Map<String, Double> phases = phases(scrape, "metrics-a", "shop");
            assertThat(phases).containsOnlyKeys(names(Phase.values())).containsEntry("Upgrading", 1.0);
            assertThat(phases.values()).containsOnlyOnce(1.0);
            assertThat(phases.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(1.0);
            assertThat(scrape.samples(StatusMetrics.AVAILABLE_UPDATE, resource("metrics-a", "shop")))
                    .extracting(s -> s.labels().get("version") + "=" + s.value())
                    .containsExactlyInAnyOrder("1.1.0=1.0", "1.2.0=1.0", "2.0.0=1.0");
            assertThat(scrape.value(StatusMetrics.NEXT_WINDOW_START, resource("metrics-a", "shop")))
                    .hasValue((double) Instant.parse("2026-11-28T01:00:00Z").getEpochSecond());
        });
    }

    @Test
    void aStatusChangeMovesThePhaseAndDropsSeriesNoLongerTrue() {
        StatusFixtures.createWithStatus(client, "metrics-b", "shop", StatusFixtures.upgrading());
        awaitScrape(scrape -> assertThat(phases(scrape, "metrics-b", "shop")).containsEntry("Upgrading", 1.0));

        StatusFixtures.createWithStatus(client, "metrics-b", "shop", StatusFixtures.upToDate("2.0.0"));

        awaitScrape(scrape -> {
            assertThat(phases(scrape, "metrics-b", "shop")).containsEntry("UpToDate", 1.0).containsEntry("Upgrading", 0.0);
            assertThat(scrape.samples(StatusMetrics.AVAILABLE_UPDATE, resource("metrics-b", "shop"))).isEmpty();
            assertThat(scrape.value(StatusMetrics.NEXT_WINDOW_START, resource("metrics-b", "shop"))).isEmpty();
        });
    }

    @Test
    void theTimeBehindThePageIsPublishedFromTheTrafficSwapUntilTheTrafficIsBack() {
        ManagedUpgradeStatus swapped = StatusFixtures.upgrading();
        swapped.getUpgrade().setSteps(List.of(step("SwapTraffic", "2026-11-26T02:00:30Z", "2026-11-26T02:00:31Z"),
                step("Migrate 1.2.0", "2026-11-26T02:01:00Z", "2026-11-26T02:02:00Z")));
        StatusFixtures.createWithStatus(client, "metrics-d", "shop", swapped);

        awaitScrape(scrape -> assertThat(scrape.value(StatusMetrics.BEHIND_PAGE_SINCE, resource("metrics-d", "shop")))
                .hasValue((double) Instant.parse("2026-11-26T02:00:30Z").getEpochSecond()));

        ManagedUpgradeStatus restored = StatusFixtures.upgrading();
        restored.getUpgrade().setSteps(List.of(step("SwapTraffic", "2026-11-26T02:00:30Z", "2026-11-26T02:00:31Z"),
                step("RestoreTraffic", "2026-11-26T02:05:00Z", "2026-11-26T02:05:01Z")));
        StatusFixtures.createWithStatus(client, "metrics-d", "shop", restored);

        awaitScrape(scrape -> {
            assertThat(scrape.value(StatusMetrics.BEHIND_PAGE_SINCE, resource("metrics-d", "shop"))).isEmpty();
            assertThat(phases(scrape, "metrics-d", "shop")).containsEntry("Upgrading", 1.0);
        });
    }

    @Test
    void windowsThatNeverOpenAgainPublishTheNextStartAsInfinity() {
        ManagedUpgradeStatus status = StatusFixtures.upToDate("1.0.0");
        status.setMaintenance(new MaintenanceStatus(null, false, false, "NoFutureWindow", null, null, null, null, null));
        StatusFixtures.createWithStatus(client, "metrics-e", "shop", status);

        awaitScrape(scrape -> assertThat(scrape.value(StatusMetrics.NEXT_WINDOW_START, resource("metrics-e", "shop")))
                .hasValue(Double.POSITIVE_INFINITY));
    }

    @Test
    void everySeriesHasHelpText() {
        StatusFixtures.createWithStatus(client, "metrics-f", "shop", StatusFixtures.upgrading());

        awaitScrape(scrape -> assertThat(List.of(StatusMetrics.PHASE, StatusMetrics.AVAILABLE_UPDATE,
                StatusMetrics.NEXT_WINDOW_START)).allSatisfy(name -> assertThat(scrape.help(name)).as(name)
                .hasValueSatisfying(help -> assertThat(help).isNotBlank())));
    }

    @Test
    void deletingAResourceRemovesAllItsSeries() {
        StatusFixtures.createWithStatus(client, "metrics-c", "gone", StatusFixtures.upgrading());
        StatusFixtures.createWithStatus(client, "metrics-c", "kept", StatusFixtures.upToDate("1.0.0"));
        awaitScrape(scrape -> assertThat(phases(scrape, "metrics-c", "gone")).containsEntry("Upgrading", 1.0));

        client.resources(ManagedUpgrade.class).inNamespace("metrics-c").withName("gone").delete();

        awaitScrape(scrape -> {
            assertThat(scrape.samples(StatusMetrics.PHASE, resource("metrics-c", "gone"))).isEmpty();
            assertThat(scrape.samples(StatusMetrics.AVAILABLE_UPDATE, resource("metrics-c", "gone"))).isEmpty();
            assertThat(scrape.samples(StatusMetrics.NEXT_WINDOW_START, resource("metrics-c", "gone"))).isEmpty();
            assertThat(phases(scrape, "metrics-c", "kept")).containsEntry("UpToDate", 1.0);
        });
    }

    private static void awaitScrape(Consumer<MetricsScrape> expectation) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> expectation.accept(MetricsScrape.now()));
    }

    private static Map<String, Double> phases(MetricsScrape scrape, String namespace, String name) {
        Map<String, Double> phases = new java.util.TreeMap<>();
        scrape.samples(StatusMetrics.PHASE, resource(namespace, name))
                .forEach(sample -> phases.put(sample.labels().get("phase"), sample.value()));
        return phases;
    }

    private static Map<String, String> resource(String namespace, String name) {
        return Map.of("namespace", namespace, "name", name);
    }

    private static String[] names(Phase... phases) {
        return java.util.Arrays.stream(phases).map(Phase::name).toArray(String[]::new);
    }
}
