package dev.slipway.bench;

import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.demo.DemoCluster;
import dev.slipway.demo.LocalPostgres;
import dev.slipway.demo.LocalReleaseApi;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.testing.PostgresServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * P2: the operator's own share of the maintenance time of a 3-hop upgrade. The packaged operator runs in its own JVM
 * against the demo's Kubernetes API (fabric8's CRUD server on loopback), a simulated kubelet that takes a fixed time
 * to start or stop pods, a real PostgreSQL and the sample shop's Release API on loopback, upgrading the shop from
 * 1.0.0 to 2.0.0 via the required stop 1.1.0 and 1.2.0. Each migration does real work on seeded orders and sleeps
 * a known time. Overhead = maintenance time (status timestamps) − migration SQL time (Flyway's own
 * {@code execution_time}) − time the workloads were not ready (watched here).
 */
final class UpgradeOverheadBenchmarks {

    private static final Duration READY_DELAY = Duration.ofSeconds(2);
    /** The first upgrade after the operator starts runs cold code; the runs that follow are timed. */
    private static final int TIMED_RUNS = 5;
    private static final int ORDERS = 200_000;
    private static final Set<String> COMPONENTS = Set.of("web", "worker");

    private UpgradeOverheadBenchmarks() {
    }

    /** The sample shop with migrations that take a realistic time: real updates of the seeded rows, then a sleep. */
    private static SampleApplication realisticShop() {
        return new SampleApplication()
                .appendToMigration("1.1.0", "\nUPDATE orders SET status = 'paid' WHERE id % 3 = 0;"
                        + "\nSELECT pg_sleep(0.5);")
                .appendToMigration("1.2.0", "\nINSERT INTO customers (name) SELECT DISTINCT customer FROM orders;"
                        + "\nSELECT pg_sleep(0.5);")
                .appendToMigration("2.0.0", "\nUPDATE orders SET placed_at = placed_at - (id % 1000) * interval '1 minute';"
                        + "\nSELECT pg_sleep(0.5);");
    }

    static List<Row> run(Path jar, List<String> notes) throws Exception {
        SampleApplication shop = realisticShop();
        Clock clock = Clock.systemUTC();
        List<UpgradeTimings> timed = new ArrayList<>();
        UpgradeTimings cold;
        Duration total = Duration.ZERO;
        Path operatorTemporary = Files.createTempDirectory("slipway-bench-upgrade-operator");
        try (DemoCluster cluster = DemoCluster.start();
                KubernetesClient client = new KubernetesClientBuilder().build();
                SimulatedKubelet kubelet = new SimulatedKubelet(client, READY_DELAY).start();
                LocalReleaseApi releaseApi = new LocalReleaseApi(shop);
                OperatorProcess operator = ShopUpgradeRuns.launchOperator(jar, cluster.url(), operatorTemporary)) {
            Upgrade first = upgradeOnce(client, shop, releaseApi.url(), "bench-upgrade-0", operator, clock);
            cold = first.timings();
            for (int run = 1; run <= TIMED_RUNS; run++) {
                Upgrade upgrade = upgradeOnce(client, shop, releaseApi.url(), "bench-upgrade-" + run, operator, clock);
                timed.add(upgrade.timings());
                total = total.plus(upgrade.total());
            }
        } finally {
            ShopUpgradeRuns.deleteRecursively(operatorTemporary);
        }
        Samples overhead = millis(timed, UpgradeTimings::overhead);
        Samples baseline = millis(timed, UpgradeTimings::baseline);
        notes.add(note(timed, cold, total.dividedBy(TIMED_RUNS)));
        String what = "operator overhead in the maintenance time of a 3-hop upgrade";
        return List.of(
                new Row("P2", what, overhead, "migration SQL + readiness waits", baseline, Target.ratioAtMost(0.05)),
                Row.absolute("P2", what + " (absolute)", overhead, Target.atMost(1000, "ms")));
    }

    private record Upgrade(UpgradeTimings timings, Duration total) {
    }

    private static Upgrade upgradeOnce(KubernetesClient client, SampleApplication shop, String feedUrl,
            String namespace, OperatorProcess operator, Clock clock) throws Exception {
        LocalPostgres.Database database = PostgresServer.get().createDatabase("bench_upgrade");
        try (ReadinessWatch readiness = new ReadinessWatch(client, namespace, COMPONENTS, clock)) {
            shop.installFirstRelease(client, namespace, database.connection());
            database.execute("INSERT INTO orders (customer, total_cents) SELECT 'customer ' || (n % 5000), n % 10000"
                    + " FROM generate_series(1, " + ORDERS + ") AS n", "ANALYZE orders");
            ShopUpgradeRuns.await(readiness::allSettled, operator, "the installed shop to be ready");
            client.resource(shop.managedUpgrade(namespace, ShopUpgradeRuns.RESOURCE, feedUrl)).create();
            HistoryEntry entry = ShopUpgradeRuns.awaitHistory(client, namespace, operator);
            if (entry.result() != UpgradeResult.Succeeded) {
                throw new IllegalStateException("the upgrade in " + namespace + " ended " + entry.result() + ": "
                        + entry.message() + "\n" + operator.log());
            }
            UpgradeTimings timings = UpgradeTimings.of(entry.steps(), sqlOfMigrateSteps(database, shop),
                    readiness::waitingBetween);
            return new Upgrade(timings, Duration.between(Instant.parse(entry.startedAt()),
                    Instant.parse(entry.finishedAt())));
        } finally {
            PostgresTools.drop(database);
        }
    }

    /** Flyway's execution_time of each migration the upgrade applied, by the name of its Migrate step. */
    private static Map<String, Duration> sqlOfMigrateSteps(LocalPostgres.Database database, SampleApplication shop)
            throws SQLException {
        Map<String, String> releaseOfSchema = new HashMap<>();
        shop.releases().forEach(release -> releaseOfSchema.put(release.schemaVersion(), release.version()));
        Map<String, Duration> sql = new HashMap<>();
        try (Connection connection = database.open(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, execution_time FROM flyway_schema_history"
                        + " WHERE success AND installed_rank > 1")) {
            while (rows.next()) {
                sql.put("Migrate " + releaseOfSchema.get(rows.getString(1)), Duration.ofMillis(rows.getLong(2)));
            }
        }
        return sql;
    }

    private static Samples millis(List<UpgradeTimings> runs, Function<UpgradeTimings, Duration> figure) {
        return new Samples(runs.stream().map(figure).map(d -> d.toNanos() / 1e6).toList(), "ms");
    }

    private static String note(List<UpgradeTimings> timed, UpgradeTimings cold, Duration meanTotal) {
        StringBuilder shares = new StringBuilder();
        for (UpgradeTimings.Share share : UpgradeTimings.Share.values()) {
            shares.append(shares.isEmpty() ? "" : ", ").append(share.name().toLowerCase().replace('_', ' ')).append(' ')
                    .append(millis(timed, t -> t.overheadByShare().get(share)).describe());
        }
        return "P2: the packaged operator (`quarkus-run.jar operator`, the container's JVM options) against the demo's"
                + " CRUD API server, a simulated kubelet that settles each workload change after "
                + READY_DELAY.toMillis() + " ms, a real PostgreSQL with " + ORDERS + " seeded orders and the shop's"
                + " Release API on loopback; 1.0.0 → 1.1.0 (required stop) → 1.2.0 → 2.0.0, each migration updating"
                + " the seeded rows and sleeping 0.5 s. Maintenance = from the start of SwapTraffic to the start of"
                + " Record (traffic restored), from `status.history`: " + millis(timed, UpgradeTimings::maintenance)
                .describe() + "; migration SQL (Σ `flyway_schema_history.execution_time`) "
                + millis(timed, UpgradeTimings::sql).describe() + "; readiness waits (time web or worker had a"
                + " spec its status did not reflect, watched from the bench) " + millis(timed, UpgradeTimings::waits)
                .describe() + ". The overhead by where it arose: " + shares + ". One new namespace and database per"
                + " upgrade, one operator process for all; the first upgrade after the operator started (cold JIT) is"
                + " not in the table: overhead " + Samples.format(cold.overhead().toNanos() / 1e6) + " ms of "
                + Samples.format(cold.maintenance().toNanos() / 1e6) + " ms. Whole upgrades including Preflight and"
                + " the page start took " + Samples.format(meanTotal.toNanos() / 1e6) + " ms on average.";
    }
}
