package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ZeroDowntime;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.database.SchemaFloor;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.cluster.GarbageCollector;
import dev.slipway.demo.cluster.WorkloadControllers;
import dev.slipway.testing.CompatibleReleases;
import dev.slipway.testing.FeedServer;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a hop whose release declares backward-compatible migrations runs without the maintenance page and
 * without quiesce, on the realistic workload doubles (Deployments → ReplicaSets → Pods) and a real PostgreSQL.
 *
 * <p>What "the Service" is here: the CRUD API server has no kube-proxy and the emulated Pods serve nothing, so a
 * client of the application Service is played by a watcher that, every 20 ms, reads what such a client would reach:
 * the Ingress backend (the page would be an outage for the application) and the web Deployment's available replicas
 * (no available Pod behind the Service is an error for the client). It records every answer it would have seen.
 */
@QuarkusTest
@WithKubernetesTestServer
class ZeroDowntimeOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private WorkloadControllers controllers;
    private GarbageCollector collector;
    private ShopFixture shop;
    private final FeedServer feeds = new FeedServer();
    private final ScheduledExecutorService client = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> seenByClient = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void startControllers() {
        controllers = new WorkloadControllers(super.client, Clock.systemUTC()).gracePeriod(Duration.ofSeconds(1)).start();
        collector = new GarbageCollector(super.client).start();
    }

    @AfterEach
    void stop() {
        client.shutdownNow();
        collector.close();
        controllers.close();
        feeds.close();
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void aBackwardCompatibleHopRollsWithoutPageOrQuiesceAndTheClientNeverSeesAnOutage() throws Exception {
        ManagedUpgrade resource = shopUpgradingTo("1.1.0", new SampleApplication());
        playTheClient();

        super.client.resource(resource).create();

        ManagedUpgrade done = awaitHistory();
        assertThat(done.getStatus().getHistory().get(0).result()).isEqualTo(UpgradeResult.Succeeded);
        assertThat(done.getStatus().getCurrentVersion()).isEqualTo("1.1.0");
        assertThat(steps(done)).containsExactly("Preflight", "Expand", "RollOut", "Soak", "Contract", "Record");
        assertThat(seenByClient).as("every answer the client got").containsExactly("web serving");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.1.0"));
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(shop.appliedMigrations()).containsExactly("1", "2");
        assertThat(new SchemaFloor(shop.database.connection(), List.of()).current()).hasValueSatisfying(floor -> {
            assertThat(floor.minAppVersion()).isEqualTo("1.0.0");
            assertThat(floor.phase()).isEqualTo("contract");
        });
    }

    @Test
    void aFailedExpandLeavesTheOldVersionServingAndNothingElseChanged() throws Exception {
        ManagedUpgrade resource = shopUpgradingTo("1.1.0", new SampleApplication().breakMigration("1.1.0"));
        playTheClient();

        super.client.resource(resource).create();

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus() != null
                && r.getStatus().getUpgrade() != null && r.getStatus().getUpgrade().getResult() != null);
        assertThat(failed.getStatus().getUpgrade().getResult()).isEqualTo(UpgradeResult.Failed);
        assertThat(failed.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.Expand);
        assertThat(failed.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.MigrationFailed);
        assertThat(failed.getStatus().getUpgrade().getFailureMessage())
                .startsWith("expand migrations of 1.1.0 (nothing changed, 1.0.0 still serves): ")
                .contains("no_such_table");
        assertThat(seenByClient).containsExactly("web serving");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(new SchemaFloor(shop.database.connection(), List.of()).current()).isEmpty();
    }

    @Test
    void aFailedRolloutRollsTheImagesBackHoldsContractAndIsNotTriedAgain() throws Exception {
        ManagedUpgrade resource = shopUpgradingTo("1.1.0", new SampleApplication());
        controllers.crashLoop(SampleApplication.image("web", "1.1.0"));
        super.client.apps().deployments().inNamespace(shop.namespace).withName("web").edit(web -> {
            web.getSpec().setProgressDeadlineSeconds(3);
            return web;
        });

        super.client.resource(resource).create();

        ManagedUpgrade rolledBack = awaitHistory();
        assertThat(rolledBack.getStatus().getUpgrade().getResult()).isEqualTo(UpgradeResult.RolledBack);
        assertThat(rolledBack.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.RollOut);
        assertThat(rolledBack.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.RolloutFailed);
        assertThat(rolledBack.getStatus().getHistory().get(0).message()).contains("has timed out progressing");
        assertThat(steps(rolledBack)).containsExactly("Preflight", "Expand", "RollOut", "RollBack", "Record");
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> CompatibleReleases.available(shop.deployment("web")) == 2
                && shop.image("web").equals(SampleApplication.image("web", "1.0.0")));
        assertThat(shop.appliedMigrations()).as("expand stays: 1.0.0 runs on it").containsExactly("1", "2");
        assertThat(new SchemaFloor(shop.database.connection(), List.of()).current())
                .hasValueSatisfying(floor -> assertThat(floor.phase()).as("contract never ran").isEqualTo("expand"));
        // Not tried again until actions.retry or a new release: the next reconciles leave it as it is.
        Thread.sleep(3000);
        assertThat(get(shop.namespace, "shop").getStatus().getHistory()).hasSize(1);
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
    }

    @Test
    void aRollbackTheSchemaFloorForbidsHoldsWithTheReason() throws Exception {
        ManagedUpgrade resource = shopUpgradingTo("1.1.0", new SampleApplication(), "1.1.0");
        controllers.crashLoop(SampleApplication.image("web", "1.1.0"));
        super.client.apps().deployments().inNamespace(shop.namespace).withName("web").edit(web -> {
            web.getSpec().setProgressDeadlineSeconds(3);
            return web;
        });

        super.client.resource(resource).create();

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus() != null
                && r.getStatus().getUpgrade() != null && r.getStatus().getUpgrade().getResult() != null);
        assertThat(failed.getStatus().getUpgrade().getResult()).isEqualTo(UpgradeResult.Failed);
        assertThat(failed.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.RollOut);
        assertThat(failed.getStatus().getUpgrade().getFailureMessage()).contains("has timed out progressing")
                .contains("rollback refused: the database's schema requires application version 1.1.0");
        assertThat(shop.image("web")).as("not rolled back").isEqualTo(SampleApplication.image("web", "1.1.0"));
    }

    @Test
    void aVersionBelowTheRecordedFloorIsNeverStarted() throws Exception {
        // Behind the page (policy Never): Resume would start 1.1.0, but the database records a floor of 2.0.0.
        ManagedUpgrade resource = shopUpgradingTo("1.1.0", new SampleApplication());
        resource.getSpec().getPolicy().setZeroDowntime(ZeroDowntime.Never);
        new SchemaFloor(shop.database.connection(), List.of()).record(new SchemaFloor.Entry("2.0.0", "2.0.0",
                "contract", "4", java.time.Instant.parse("2026-12-01T00:00:00Z")));

        super.client.resource(resource).create();

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus() != null
                && r.getStatus().getUpgrade() != null && r.getStatus().getUpgrade().getResult() != null);
        assertThat(failed.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.Resume);
        assertThat(failed.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.SchemaFloorForbids);
        assertThat(failed.getStatus().getUpgrade().getFailureMessage()).contains("requires application version 2.0.0")
                .contains("1.1.0 may not start");
        assertThat(shop.replicas("web")).as("never scaled up on the forbidding schema").isZero();
    }

    @Test
    void zeroDowntimeNeverForcesThePagePath() throws Exception {
        ManagedUpgrade resource = shopUpgradingTo("1.1.0", new SampleApplication());
        resource.getSpec().getPolicy().setZeroDowntime(ZeroDowntime.Never);

        super.client.resource(resource).create();

        ManagedUpgrade done = awaitHistory();
        assertThat(done.getStatus().getHistory().get(0).result()).isEqualTo(UpgradeResult.Succeeded);
        assertThat(steps(done)).contains("PageUp", "SwapTraffic", "Quiesce").doesNotContain("Expand", "RollOut");
        assertThat(new SchemaFloor(shop.database.connection(), List.of()).current()).isEmpty();
    }

    @Test
    void thePlanSaysWhichHopRunsWithoutDowntime() throws Exception {
        // 1.1.0 declares compatibility, 1.2.0 does not: the path 1.0.0 → 1.1.0 (required stop) → 1.2.0 is mixed.
        ManagedUpgrade resource = shopUpgradingTo("1.2.0", new SampleApplication());
        resource.getSpec().getPolicy().setPaused(true);

        super.client.resource(resource).create();

        ManagedUpgrade planned = awaitStatus(shop.namespace, "shop", r -> r.getStatus() != null
                && r.getStatus().getPlan() != null);
        assertThat(planned.getStatus().getPlan().hops()).extracting(HopStatus::version, HopStatus::zeroDowntime)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1.1.0", true),
                        org.assertj.core.groups.Tuple.tuple("1.2.0", null));
    }

    /**
     * The shop at 1.0.0 with web at 2 replicas, upgrading to {@code target} (pinned) from a feed where 1.1.0 declares
     * backward-compatible migrations; a health check the feed server answers, and a 1 s soak.
     */
    private ManagedUpgrade shopUpgradingTo(String target, SampleApplication application) throws Exception {
        return shopUpgradingTo(target, application, "1.0.0");
    }

    /** @param expandFloor the expand minAppVersion 1.1.0 declares */
    private ManagedUpgrade shopUpgradingTo(String target, SampleApplication application, String expandFloor)
            throws Exception {
        shop = new ShopFixture(super.client, "zero-downtime-" + NAMESPACES.incrementAndGet(), application);
        return CompatibleReleases.upgradeTo(feeds, shop, target, expandFloor);
    }

    /** Reads, every 20 ms, what a client of the application would get (see the class comment). */
    private void playTheClient() {
        client.scheduleWithFixedDelay(() -> seenByClient.add(CompatibleReleases.whatAClientGets(shop)), 0, 20,
                TimeUnit.MILLISECONDS);
    }

    private ManagedUpgrade awaitHistory() {
        return Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(shop.namespace, "shop"), r -> r.getStatus() != null
                        && r.getStatus().getHistory() != null && !r.getStatus().getHistory().isEmpty());
    }

    private static List<String> steps(ManagedUpgrade resource) {
        return resource.getStatus().getHistory().get(0).steps().stream().map(StepRecord::step).map(Enum::name)
                .distinct().toList();
    }

}
