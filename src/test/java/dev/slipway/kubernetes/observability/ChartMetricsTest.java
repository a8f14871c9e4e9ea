package dev.slipway.kubernetes.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.spec.BetweenSpec;
import dev.slipway.api.v1alpha1.spec.MaintenanceSpec;
import dev.slipway.api.v1alpha1.spec.WindowSpec;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.helm.ChartMonitoring;
import dev.slipway.testing.MetricsScrape;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The chart's alerts and dashboard query only metrics the operator really exposes: an application is taken through
 * a wait for its window and a whole upgrade started at once (slow pods keep it behind the page for a while), and
 * every metric name the chart uses must have appeared in a scrape on the way.
 */
@QuarkusTest
@WithKubernetesTestServer
class ChartMetricsTest extends OperatorTestBase {

    private static final String NAMESPACE = "chart-metrics";

    @Test
    void everyMetricTheAlertsAndTheDashboardUseIsOneTheOperatorExposes() throws Exception {
        Set<String> used = ChartMonitoring.rendered().metricNames();
        Set<String> scraped = new TreeSet<>();
        Map<String, String> application = Map.of("namespace", NAMESPACE, "name", "shop");
        try (SimulatedKubelet kubelet = new SimulatedKubelet(client, Duration.ofMillis(1500)).start();
             ShopFixture shop = new ShopFixture(client, NAMESPACE, new SampleApplication())) {
            Instant tomorrow = Clock.systemUTC().instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofDays(1));
            ManagedUpgrade resource = shop.resource("shop");
            resource.getSpec().setMaintenance(windowOpening(tomorrow));
            client.resource(resource).create();
            scrapeUntil(scraped, scrape -> scrape.value(StatusMetrics.NEXT_WINDOW_START, application).isPresent()
                    && scrape.has("slipway_feed_polls_total"));

            editSpec(NAMESPACE, "shop", r -> {
                ActionsSpec actions = new ActionsSpec();
                actions.setStartNow("1");
                r.getSpec().setActions(actions);
            });
            scrapeUntil(scraped, scrape -> scrape.value(StatusMetrics.BEHIND_PAGE_SINCE, application).isPresent());
            awaitStatus(NAMESPACE, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion()));
            scrapeUntil(scraped, scrape -> scrape.value(StatusMetrics.BEHIND_PAGE_SINCE, application).isEmpty()
                    && scrape.has("slipway_upgrades_total"));
        }

        assertThat(used).as("metric names in the chart's PrometheusRule and dashboard").isNotEmpty();
        assertThat(scraped).containsAll(used);
    }

    /** Scrapes until {@code done} holds, adding every metric name seen on the way to {@code scraped}. */
    private static void scrapeUntil(Set<String> scraped, Predicate<MetricsScrape> done) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            MetricsScrape scrape = MetricsScrape.now();
            scraped.addAll(scrape.names());
            return done.test(scrape);
        });
    }

    /** One four-hour window from {@code start}: the application waits for it, and a window gauge is published. */
    private static MaintenanceSpec windowOpening(Instant start) {
        WindowSpec window = new WindowSpec();
        window.setName("tomorrow");
        BetweenSpec between = new BetweenSpec();
        between.setStart(start.toString());
        between.setEnd(start.plus(Duration.ofHours(4)).toString());
        window.setBetween(between);
        MaintenanceSpec maintenance = new MaintenanceSpec();
        maintenance.setTimeZone("UTC");
        maintenance.setWindows(List.of(window));
        return maintenance;
    }
}
