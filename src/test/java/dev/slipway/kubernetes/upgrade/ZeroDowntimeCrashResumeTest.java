package dev.slipway.kubernetes.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.database.SchemaFloor;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.cluster.GarbageCollector;
import dev.slipway.demo.cluster.WorkloadControllers;
import dev.slipway.testing.CompatibleReleases;
import dev.slipway.testing.FeedServer;
import dev.slipway.testing.Crds;
import dev.slipway.testing.FreshOperators;
import dev.slipway.testing.ShopFixture;
import dev.slipway.testing.SqlRows;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stops the operator in the middle of a zero-downtime hop (1.0.0 → 1.1.0, declared backward compatible), during
 * RollOut and during Soak, and starts a fresh one with nothing but what the cluster holds: it must finish the hop
 * without ever bringing the page up, apply each migration once and leave the schema floor as an uninterrupted run does.
 * A client of the application is played as in {@code ZeroDowntimeOperatorTest}, throughout the crash. Shares
 * CrashResumeTest's profile (its own Operator instances).
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(CrashResumeTest.OwnOperators.class)
class ZeroDowntimeCrashResumeTest {

    private static final AtomicInteger RUNS = new AtomicInteger();

    @Inject
    KubernetesClient client;
    @Inject
    UpgradeExecutor executor;

    private WorkloadControllers controllers;
    private GarbageCollector collector;
    private final FeedServer feeds = new FeedServer();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> seenByClient = ConcurrentHashMap.newKeySet();
    @Inject
    FreshOperators operators;

    @BeforeEach
    void setUp() throws Exception {
        Crds.applyManagedUpgrade(client);
        controllers = new WorkloadControllers(client, Clock.systemUTC()).gracePeriod(Duration.ofSeconds(1)).start();
        collector = new GarbageCollector(client).start();
    }

    @AfterEach
    void tearDown() {
        executor.setCheckpointListener(null);
        operators.stopAll();
        poller.shutdownNow();
        collector.close();
        controllers.close();
        feeds.close();
    }

    @ParameterizedTest(name = "crash at {0} (completed: {1})")
    @CsvSource({"RollOut 1.1.0, false", "RollOut 1.1.0, true", "Soak 1.1.0, false"})
    void aZeroDowntimeHopResumesWithoutThePageAfterACrash(String step, boolean completed) throws Exception {
        String namespace = "zd-crash-" + RUNS.incrementAndGet();
        try (ShopFixture shop = new ShopFixture(client, namespace, new SampleApplication())) {
            ManagedUpgrade resource = CompatibleReleases.upgradeTo(feeds, shop, "1.1.0", "1.0.0");
            playTheClient(shop);
            CountDownLatch crashed = new CountDownLatch(1);
            executor.setCheckpointListener((key, done) -> {
                if (crashed.getCount() == 0 || (key.equals(step) && done == completed)) {
                    crashed.countDown();
                    throw new IllegalStateException("simulated crash after " + key);
                }
            });
            Operator first = operators.start(namespace);
            client.resource(resource).create();
            assertThat(crashed.await(60, TimeUnit.SECONDS)).as("the upgrade reached " + step).isTrue();
            operators.stop(first);

            executor.setCheckpointListener(null);
            operators.start(namespace);
            ManagedUpgrade done = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> client.resources(ManagedUpgrade.class).inNamespace(namespace).withName("shop").get(),
                            r -> r.getStatus() != null && r.getStatus().getHistory() != null
                                    && !r.getStatus().getHistory().isEmpty());

            assertThat(done.getStatus().getHistory()).singleElement().satisfies(entry -> {
                assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded);
                assertThat(entry.steps()).extracting(StepRecord::name).containsSubsequence("Preflight",
                        "Expand 1.1.0", "RollOut 1.1.0", "Soak 1.1.0", "Contract 1.1.0", "Record")
                        .doesNotContain("PageUp", "SwapTraffic", "Quiesce");
            });
            assertThat(seenByClient).as("every answer the client got, across the crash").containsExactly("web serving");
            assertThat(shop.deployment("shop-maintenance")).as("the maintenance page never went up").isNull();
            assertThat(shop.appliedMigrations()).as("each migration applied once").containsExactly("1", "2");
            assertThat(SqlRows.rows(shop.database.connection(), "SELECT phase || ':' || min_app_version FROM "
                    + "slipway_schema_floor ORDER BY recorded_at"))
                    .as("the floor: expand then contract, as without a crash").containsExactly("expand:1.0.0",
                            "contract:1.0.0");
            assertThat(new SchemaFloor(shop.database.connection(), List.of()).current()).hasValueSatisfying(floor ->
                    assertThat(floor.phase()).isEqualTo("contract"));
            assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.1.0"));
            assertThat(shop.replicas("web")).isEqualTo(2);
        }
    }

    /** Reads, every 20 ms, what a client of the application would get (see ZeroDowntimeOperatorTest). */
    private void playTheClient(ShopFixture shop) {
        poller.scheduleWithFixedDelay(() -> seenByClient.add(CompatibleReleases.whatAClientGets(shop)), 0, 20,
                TimeUnit.MILLISECONDS);
    }
}
