package dev.slipway.kubernetes.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.cluster.GarbageCollector;
import dev.slipway.demo.cluster.WorkloadControllers;
import dev.slipway.testing.FeedServer;
import dev.slipway.testing.Crds;
import dev.slipway.testing.FreshOperators;
import dev.slipway.testing.NotInstalledShop;
import dev.slipway.testing.SqlRows;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stops the operator during a first install (nothing installed, an empty database, 2.0.0 approved at once) as a
 * migration began, after one committed, after the images were set and as the components started, then starts a
 * fresh one with nothing but what the cluster and the database hold. A database with part of the history is no
 * longer "empty": the restart must resume from the checkpoint, never assess the database again (which would refuse
 * it) nor migrate twice. Shares CrashResumeTest's profile (its own Operator instances).
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(CrashResumeTest.OwnOperators.class)
class FirstInstallCrashResumeTest {

    private static final AtomicInteger RUNS = new AtomicInteger();

    @Inject
    KubernetesClient client;
    @Inject
    UpgradeExecutor executor;
    @Inject
    FreshOperators operators;

    private WorkloadControllers controllers;
    private GarbageCollector collector;
    private final FeedServer feeds = new FeedServer();

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
        collector.close();
        controllers.close();
        feeds.close();
    }

    @ParameterizedTest(name = "crash after {0} (completed: {1})")
    @CsvSource({"Migrate 1.2.0, false", "Migrate 1.2.0, true", "RollImages 2.0.0, true", "Resume, false"})
    void aFirstInstallResumesAfterACrash(String step, boolean completed) throws Exception {
        NotInstalledShop shop = new NotInstalledShop(client, feeds, new SampleApplication(),
                "install-crash-" + RUNS.incrementAndGet(), SampleApplication.PLACEHOLDER_IMAGE);
        ManagedUpgrade resource = shop.resource();
        resource.getSpec().getApplication().setInstalledVersion("none");
        resource.getSpec().getApplication().getComponents().forEach(component -> component.setReplicas(
                SampleApplication.REPLICAS.get(component.getName())));
        CountDownLatch crashed = new CountDownLatch(1);
        executor.setCheckpointListener((key, done) -> {
            if (crashed.getCount() == 0 || (key.equals(step) && done == completed)) {
                crashed.countDown();
                throw new IllegalStateException("simulated crash after " + key);
            }
        });
        Operator first = operators.start(shop.namespace);
        client.resource(resource).create();
        assertThat(crashed.await(60, TimeUnit.SECONDS)).as("the install reached " + step).isTrue();
        operators.stop(first);

        executor.setCheckpointListener(null);
        operators.start(shop.namespace);
        ManagedUpgrade done = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.resources(ManagedUpgrade.class).inNamespace(shop.namespace).withName("shop").get(),
                        r -> r.getStatus() != null && r.getStatus().getHistory() != null
                                && !r.getStatus().getHistory().isEmpty());

        HistoryEntry entry = done.getStatus().getHistory().get(0);
        assertThat(done.getStatus().getHistory()).hasSize(1);
        assertThat(entry.result()).as(String.valueOf(entry.message())).isEqualTo(UpgradeResult.Installed);
        assertThat(entry.steps()).extracting(StepRecord::name).containsExactly("Preflight", "Migrate 1.1.0",
                "Migrate 1.2.0", "Migrate 2.0.0", "RollImages 2.0.0", "Resume", "Record");
        assertThat(done.getStatus().getCurrentVersion()).isEqualTo("2.0.0");
        assertThat(SqlRows.rows(shop.database.connection(), "SELECT version || ':' || success FROM "
                + "flyway_schema_history ORDER BY installed_rank")).as("each migration once, none failed")
                .containsExactly("1:true", "2:true", "3:true", "4:true");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "2.0.0"));
        assertThat(shop.deployment("web").getSpec().getReplicas()).isEqualTo(2);
        assertThat(shop.deployment("worker").getSpec().getReplicas()).isEqualTo(1);
    }
}
