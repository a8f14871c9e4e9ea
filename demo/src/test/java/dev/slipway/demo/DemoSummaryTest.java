package dev.slipway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The closing lines of each ending, and when the demo must call them an error. */
class DemoSummaryTest {

    private static final List<String> ORDERS = List.of("1|ada|1200", "2|bob|300", "3|O'Brien|0");
    private static final Map<String, Integer> REPLICAS = Map.of("web", 2);

    @Test
    void aRestoreWithTheSameOrdersSchemaImagesIngressAndReplicasIsNoProblem() {
        DemoSummary.Restored restored = restored(ORDERS, "1", Map.of("web", "1.0.0"));

        assertThat(restored.problem()).isEmpty();
        assertThat(restored.lines()).containsSubsequence(
                "Upgrade rolled back and database restored: 1.0.0 -> 2.0.0 failed at Migrate 2.0.0 (MigrationFailed)",
                "  path:        1.0.0 -> 1.1.0 -> 1.2.0 -> 2.0.0 (3 hops; 1.1.0, 1.2.0 had committed)",
                "  backup:      shop_slipway_1_0_0_20261206040000, 7.4 MiB (7773543 bytes), taken before the first "
                        + "migration, now the database again",
                "  kept:        the failed database as shop_slipway_failed_20261206040010, for inspection",
                "  data:        3 orders, identical to before the upgrade (compared row by row)",
                "  schema:      1 (1.0.0's)",
                "  images:      web=1.0.0 (as before the upgrade)",
                "  downtime:    7.6 s (seen by a visitor polling the shop every 20 ms)");
    }

    @Test
    void aRestoreWhoseOrdersDifferIsAnErrorNamingTheData() {
        DemoSummary.Restored restored = restored(ORDERS.subList(0, 2), "1", Map.of("web", "1.0.0"));

        assertThat(restored.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("orders differ"));
        assertThat(restored.lines()).anyMatch(line -> line.startsWith("  data:        DIFFERENT from before"));
    }

    @Test
    void aRestoreLeavingANewerSchemaOrImageIsAnError() {
        assertThat(restored(ORDERS, "3", Map.of("web", "1.0.0")).problem()).isPresent();
        assertThat(restored(ORDERS, "1", Map.of("web", "1.2.0")).problem()).isPresent();
    }

    @Test
    void aFirstInstallHasNoDowntimeToMeasureAndNoPage() {
        DemoSummary.Installed installed = new DemoSummary.Installed("2.0.0", List.of("1.1.0", "1.2.0", "2.0.0"),
                Duration.ofMillis(2800), List.of("V1 a", "V2 b", "V3 c", "V4 d"), "4", true, REPLICAS, REPLICAS,
                Map.of("web", "2.0.0"), Optional.empty());

        assertThat(installed.problem()).isEmpty();
        assertThat(installed.lines()).containsExactly(
                "Installed: none -> 2.0.0 (first install: the database was empty)",
                "  path:        the bundles of 1.1.0 -> 1.2.0 -> 2.0.0 in order; the shop started only at 2.0.0",
                "  duration:    2.8s",
                "  downtime:    none: nothing was served before the install",
                "  migrations:  4 applied (V1 a, V2 b, V3 c, V4 d), database at schema 4",
                "  images:      web=2.0.0",
                "  ingress:     untouched: no maintenance page was put up",
                "  replicas:    web=2 (from 0, as spec.application.components[].replicas declares)");
    }

    @Test
    void aFirstInstallNotReachingTheDeclaredReplicasIsAnError() {
        DemoSummary.Installed installed = new DemoSummary.Installed("2.0.0", List.of("2.0.0"), Duration.ZERO,
                List.of(), "4", true, REPLICAS, Map.of("web", 0), Map.of("web", "2.0.0"), Optional.of(Duration.ZERO));

        assertThat(installed.problem()).isPresent();
        assertThat(installed.lines()).contains("  replicas:    web=0 (declared: web=2)");
    }

    private static DemoSummary.Restored restored(List<String> ordersAfter, String schema, Map<String, String> images) {
        return new DemoSummary.Restored("1.0.0", "2.0.0", "Migrate 2.0.0", "MigrationFailed",
                List.of("1.1.0", "1.2.0", "2.0.0"), List.of("1.1.0", "1.2.0"), Duration.ofMillis(10_600),
                "shop_slipway_1_0_0_20261206040000", 7_773_543L, "shop_slipway_failed_20261206040010",
                new RowComparison(ORDERS, ordersAfter), schema, "1", images, true, REPLICAS, REPLICAS,
                Duration.ofMillis(7_600));
    }
}
