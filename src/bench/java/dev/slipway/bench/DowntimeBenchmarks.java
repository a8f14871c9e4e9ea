package dev.slipway.bench;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.HealthCheckSpec;
import dev.slipway.api.v1alpha1.spec.ZeroDowntime;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.demo.DemoCluster;
import dev.slipway.demo.LocalPostgres;
import dev.slipway.demo.LocalReleaseApi;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.ShopVisitor;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.testing.PostgresServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * P8 (issue 17): the downtime visitors see during a 2-hop upgrade whose releases declare backward-compatible
 * migrations (1.0.0 → 1.1.0 → 1.2.0 of the sample shop, pinned), run without the page (expand, rolling update, soak,
 * contract), against the same upgrade with {@code spec.policy.zeroDowntime: Never} (every hop behind the page) as the
 * baseline. The downtime is what a loopback client of the shop measures ({@link ShopVisitor}: every 20 ms, the time
 * it got no 200 from the shop's front door, which serves while the Ingress routes to the web Service and a web Pod is
 * available). The packaged operator, the demo's CRUD API server, a simulated kubelet whose Pods take a fixed time to
 * start and stop (rolling updates by the Deployments' own strategy, 25% surge and unavailability) and a real
 * PostgreSQL, as in P2.
 */
final class DowntimeBenchmarks {

    private static final Duration READY_DELAY = Duration.ofSeconds(2);
    private static final int RUNS = 3;
    private static final String TARGET = "1.2.0";
    private static final Set<String> COMPONENTS = Set.of("web", "worker");

    private DowntimeBenchmarks() {
    }

    static List<Row> run(Path jar, List<String> notes) throws Exception {
        SampleApplication shop = new SampleApplication().declareBackwardCompatible();
        Clock clock = Clock.systemUTC();
        List<Double> rolling = new ArrayList<>();
        List<Double> page = new ArrayList<>();
        List<Double> rollingTook = new ArrayList<>();
        List<Double> pageTook = new ArrayList<>();
        Path operatorTemporary = Files.createTempDirectory("slipway-bench-downtime-operator");
        int[] namespaces = {0};
        try (DemoCluster cluster = DemoCluster.start();
                KubernetesClient client = new KubernetesClientBuilder().build();
                SimulatedKubelet kubelet = new SimulatedKubelet(client, READY_DELAY).start();
                LocalReleaseApi releaseApi = new LocalReleaseApi(shop);
                OperatorProcess operator = ShopUpgradeRuns.launchOperator(jar, cluster.url(), operatorTemporary)) {
            // the first upgrade after the operator started runs cold code; it is not in the table
            Visit cold = upgradeOnce(client, shop, releaseApi.url(), "bench-downtime-" + namespaces[0]++,
                    ZeroDowntime.Allowed, operator, clock);
            for (int run = 0; run < RUNS; run++) {
                Visit zero = upgradeOnce(client, shop, releaseApi.url(), "bench-downtime-" + namespaces[0]++,
                        ZeroDowntime.Allowed, operator, clock);
                rolling.add(seconds(zero.downtime()));
                rollingTook.add(seconds(zero.took()));
                Visit behindPage = upgradeOnce(client, shop, releaseApi.url(), "bench-downtime-" + namespaces[0]++,
                        ZeroDowntime.Never, operator, clock);
                page.add(seconds(behindPage.downtime()));
                pageTook.add(seconds(behindPage.took()));
            }
            notes.add(note(cold, new Samples(rollingTook, "s"), new Samples(pageTook, "s")));
        } finally {
            ShopUpgradeRuns.deleteRecursively(operatorTemporary);
        }
        return List.of(new Row("P8", "downtime of a backward-compatible 2-hop upgrade (zero-downtime hops), seen by a "
                + "loopback client", new Samples(rolling, "s"), "the same upgrade behind the maintenance page",
                new Samples(page, "s"), Target.atMost(0, "s")));
    }

    /** What one upgrade looked like to a visitor of the shop, and how long it took from start to record. */
    private record Visit(Duration downtime, Duration took) {
    }

    private static Visit upgradeOnce(KubernetesClient client, SampleApplication shop, String feedUrl, String namespace,
            ZeroDowntime zeroDowntime, OperatorProcess operator, Clock clock) throws Exception {
        LocalPostgres.Database database = PostgresServer.get().createDatabase("bench_downtime");
        try (ReadinessWatch readiness = new ReadinessWatch(client, namespace, COMPONENTS, clock);
                ShopVisitor visitor = new ShopVisitor(client, namespace, clock)) {
            shop.installFirstRelease(client, namespace, database.connection());
            ShopUpgradeRuns.await(readiness::allSettled, operator, "the installed shop to be ready");
            visitor.start();
            ShopUpgradeRuns.await(() -> visitor.firstServed().isPresent(), operator,
                    "the visitor's first answer from the shop");
            ManagedUpgrade upgrade = shop.managedUpgrade(namespace, ShopUpgradeRuns.RESOURCE, feedUrl);
            upgrade.getSpec().getPolicy().setVersion(TARGET);
            upgrade.getSpec().getPolicy().setZeroDowntime(zeroDowntime);
            if (zeroDowntime == ZeroDowntime.Allowed) {
                // the rollout and a short soak are gated by what visitors get; behind the page the front door
                // answers 503 by design until traffic returns, so the page path keeps its readiness gate alone
                HealthCheckSpec check = new HealthCheckSpec();
                check.setUrl(visitor.healthUrl());
                check.setSoak("1s");
                upgrade.getSpec().getApplication().setHealthCheck(check);
            }
            client.resource(upgrade).create();
            HistoryEntry entry = ShopUpgradeRuns.awaitHistory(client, namespace, operator);
            if (entry.result() != UpgradeResult.Succeeded || !TARGET.equals(entry.to())
                    || entry.path().size() != 2) {
                throw new IllegalStateException("the upgrade in " + namespace + " ended " + entry.result() + " at "
                        + entry.to() + " via " + entry.path() + ": " + entry.message() + "\n" + operator.log());
            }
            return new Visit(visitor.downtime(), Duration.between(Instant.parse(entry.startedAt()),
                    Instant.parse(entry.finishedAt())));
        } finally {
            PostgresTools.drop(database);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static String note(Visit cold, Samples rollingTook, Samples pageTook) {
        return "P8 (downtime): the packaged operator (`quarkus-run.jar operator`, the container's JVM options) against"
                + " the demo's CRUD API server, a simulated kubelet whose Pods start and stop in "
                + READY_DELAY.toMillis() + " ms, a real PostgreSQL and the shop's Release API on loopback, every release"
                + " declaring `compatibility.mode: backward`; 1.0.0 → 1.1.0 → " + TARGET + " (`policy.version`"
                + " pinned). Zero-downtime: health check on the shop's front door, `soak: 1s`; baseline: the same"
                + " feed with `policy.zeroDowntime: Never` (page, quiesce, migrate, start the required stop, resume),"
                + " readiness-gated. The client polls the front door every 20 ms from the start of the upgrade and adds"
                + " the time between its last 200 and each answer that was not 200. Runs alternate, one namespace and"
                + " database each, one operator process; a first zero-downtime run after the operator started is not"
                + " in the table (downtime " + Samples.format(seconds(cold.downtime())) + " s). Whole upgrades took "
                + rollingTook.describe() + " without the page and " + pageTook.describe() + " behind it.";
    }
}
