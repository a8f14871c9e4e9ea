package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.cluster.GarbageCollector;
import dev.slipway.demo.cluster.WorkloadControllers;
import dev.slipway.testing.CompatibleReleases;
import dev.slipway.testing.FeedServer;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mixed path on the realistic workload doubles and a real PostgreSQL: 1.0.0 → 1.1.0 (declared backward compatible,
 * rolled without downtime) → 1.2.0 (not declared: behind the page). A client of the application (played as in
 * {@code ZeroDowntimeOperatorTest}) notes, with each answer, the step the upgrade was at: the page appears only while
 * the 1.2.0 hop runs.
 */
@QuarkusTest
@WithKubernetesTestServer
class MixedPathOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final List<String> PAGE_PHASE = List.of("PageUp", "SwapTraffic", "Quiesce", "Migrate",
            "RollImages", "Resume", "RestoreTraffic", "Record");

    /** What the client got, and where the upgrade stood (step and hop) when it got it. */
    record Answer(String seen, String step, Integer hop) {
    }

    private WorkloadControllers controllers;
    private GarbageCollector collector;
    private ShopFixture shop;
    private final FeedServer feeds = new FeedServer();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startControllers() {
        controllers = new WorkloadControllers(client, Clock.systemUTC()).gracePeriod(Duration.ofSeconds(1)).start();
        collector = new GarbageCollector(client).start();
    }

    @AfterEach
    void stop() {
        poller.shutdownNow();
        collector.close();
        controllers.close();
        feeds.close();
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void thePageIsUpOnlyAroundThePageHop() throws Exception {
        ManagedUpgrade resource = shopUpgradingTo120();
        playTheClient();

        client.resource(resource).create();
        ManagedUpgrade done = Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(shop.namespace, "shop"), r -> r.getStatus() != null
                        && r.getStatus().getHistory() != null && !r.getStatus().getHistory().isEmpty());
        poller.shutdownNow();
        poller.awaitTermination(5, TimeUnit.SECONDS);

        assertThat(done.getStatus().getHistory()).singleElement().satisfies(entry -> {
            assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded);
            assertThat(entry.steps()).extracting(StepRecord::name).containsExactly("Preflight", "Expand 1.1.0",
                    "RollOut 1.1.0", "Soak 1.1.0", "Contract 1.1.0", "PageUp", "SwapTraffic", "Quiesce",
                    "Migrate 1.2.0", "RollImages 1.2.0", "Resume", "RestoreTraffic", "Record");
        });
        assertThat(answers).extracting(Answer::seen).as("no error at any time").allMatch(seen -> !seen.startsWith("an error"));
        assertThat(answers).filteredOn(answer -> answer.seen().startsWith("the maintenance page"))
                .as("the page was seen, and only in the page phase of the 1.2.0 hop").isNotEmpty()
                .allSatisfy(answer -> {
                    assertThat(answer.step()).isIn(PAGE_PHASE);
                    assertThat(answer.hop()).isEqualTo(1);
                });
        assertThat(answers).filteredOn(answer -> answer.step() != null && List.of("Expand", "RollOut", "Soak",
                "Contract").contains(answer.step())).as("the rolling hop, seen by the client").isNotEmpty()
                .extracting(Answer::seen).containsOnly(CompatibleReleases.WEB_SERVING);
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.2.0"));
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3");
    }

    @Test
    void thePlanMarksTheRollingHopAndThePageHop() throws Exception {
        ManagedUpgrade resource = shopUpgradingTo120();
        resource.getSpec().getPolicy().setPaused(true);

        client.resource(resource).create();

        ManagedUpgrade planned = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getPlan() != null);
        assertThat(planned.getStatus().getPlan().hops()).extracting(HopStatus::version, HopStatus::zeroDowntime)
                .containsExactly(Tuple.tuple("1.1.0", true), Tuple.tuple("1.2.0", null));
    }

    /** The shop at 1.0.0, pinned to 1.2.0, with 1.1.0 declared backward compatible; a health check and a 1 s soak. */
    private ManagedUpgrade shopUpgradingTo120() throws Exception {
        shop = new ShopFixture(client, "mixed-" + NAMESPACES.incrementAndGet(), new SampleApplication());
        return CompatibleReleases.upgradeTo(feeds, shop, "1.2.0", "1.0.0");
    }

    /**
     * Every 20 ms: the upgrade's position, then what a client gets (Ingress backend, available web Pods). The position
     * is read first, so a page seen is never attributed to a step that came before the swap.
     */
    private void playTheClient() {
        poller.scheduleWithFixedDelay(() -> {
            ManagedUpgrade resource = get(shop.namespace, "shop");
            UpgradeProgress progress = resource == null || resource.getStatus() == null ? null
                    : resource.getStatus().getUpgrade();
            String step = progress == null || progress.getStep() == null ? null : progress.getStep().name();
            Integer hop = progress == null ? null : progress.getHop();
            String seen = CompatibleReleases.whatAClientGets(shop);
            answers.add(new Answer(seen, step, hop));
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

}
