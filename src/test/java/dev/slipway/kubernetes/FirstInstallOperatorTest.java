package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.core.upgrade.FirstInstall;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.database.DatabaseContentsReader;
import dev.slipway.demo.LocalPostgres;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.cluster.GarbageCollector;
import dev.slipway.demo.cluster.WorkloadControllers;
import dev.slipway.testing.FeedServer;
import dev.slipway.testing.NotInstalledShop;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.SqlRows;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, first install: the shop's workloads exist at 0 replicas and its database is empty; the operator offers
 * the releases, installs the approved one (every hop's migrations in order, then images, replicas and health), or
 * refuses a database that holds data without a Flyway history. On the realistic workload doubles (Deployments →
 * ReplicaSets → Pods) and a real PostgreSQL.
 */
@QuarkusTest
@WithKubernetesTestServer
class FirstInstallOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private SampleApplication application = new SampleApplication();
    private final FeedServer feeds = new FeedServer();
    private WorkloadControllers controllers;
    private GarbageCollector collector;
    private NotInstalledShop notInstalled;
    private String namespace;
    private LocalPostgres.Database database;

    @BeforeEach
    void startControllers() {
        controllers = new WorkloadControllers(super.client, Clock.systemUTC()).gracePeriod(Duration.ofSeconds(1)).start();
        collector = new GarbageCollector(super.client).start();
    }

    @AfterEach
    void stop() {
        collector.close();
        controllers.close();
        feeds.close();
    }

    @Test
    void firstInstallFromAnEmptyDatabase() throws Exception {
        ManagedUpgrade resource = notInstalledShop(SampleApplication.PLACEHOLDER_IMAGE);
        resource.getSpec().getApplication().setInstalledVersion("none");
        resource.getSpec().getApplication().getComponents().get(0).setReplicas(3);
        resource.getSpec().getPolicy().setApproval(Approval.Manual);

        super.client.resource(resource).create();

        ManagedUpgrade offered = awaitStatus(namespace, "shop", r -> r.getStatus() != null
                && r.getStatus().getPhase() == Phase.WaitingForApproval);
        assertThat(offered.getStatus().getCurrentVersion()).isNull();
        assertThat(offered.getStatus().getTargetVersion()).isEqualTo("2.0.0");
        assertThat(offered.getStatus().getAvailableUpdates()).containsExactly("1.0.0", "1.1.0", "1.2.0", "2.0.0");
        assertThat(offered.getStatus().getPlan().install()).isTrue();
        assertThat(offered.getStatus().getPlan().hops()).extracting(HopStatus::version)
                .as("the required stop 1.1 and 2.0.0's minUpgradeFrom 1.2.0").containsExactly("1.1.0", "1.2.0", "2.0.0");
        assertThat(shop("web").getSpec().getReplicas()).as("nothing starts before the approval").isZero();

        editSpec(namespace, "shop", r -> r.getSpec().getPolicy().setApprovedVersion("2.0.0"));

        ManagedUpgrade installed = Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(namespace, "shop"), r -> r.getStatus() != null && r.getStatus().getHistory() != null
                        && !r.getStatus().getHistory().isEmpty());
        HistoryEntry entry = installed.getStatus().getHistory().get(0);
        assertThat(entry.result()).as(String.valueOf(entry.message())).isEqualTo(UpgradeResult.Installed);
        assertThat(entry.from()).isEqualTo("none");
        assertThat(entry.to()).isEqualTo("2.0.0");
        assertThat(entry.steps()).extracting(StepRecord::name).containsExactly("Preflight", "Migrate 1.1.0",
                "Migrate 1.2.0", "Migrate 2.0.0", "RollImages 2.0.0", "Resume", "Record");
        assertThat(installed.getStatus().getCurrentVersion()).isEqualTo("2.0.0");
        assertThat(installed.getStatus().getPhase()).isEqualTo(Phase.UpToDate);
        assertThat(SqlRows.rows(database.connection(),
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                .containsExactly("1", "2", "3", "4");
        assertThat(database.relationExists("public.customers")).as("the target's schema").isTrue();
        assertThat(image("web")).isEqualTo(SampleApplication.image("web", "2.0.0"));
        assertThat(image("worker")).isEqualTo(SampleApplication.image("worker", "2.0.0"));
        assertThat(shop("web").getSpec().getReplicas()).as("components[web].replicas").isEqualTo(3);
        assertThat(shop("worker").getSpec().getReplicas()).as("the workload declares 0: one").isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> available(shop("web")) == 3);
        assertThat(super.client.network().v1().ingresses().inNamespace(namespace).withName(SampleApplication.INGRESS)
                .get().getSpec().getDefaultBackend().getService().getName()).as("traffic never touched").isEqualTo("web");
        assertThat(feeds.requestsTo("/" + namespace + "/health")).as("the health check was awaited").isNotEmpty();
    }

    @Test
    void aDatabaseWithDataButNoHistoryIsRefusedAndNothingChanges() throws Exception {
        // Discovered, not stated: the release's images at 0 replicas and no Flyway history make the database decide.
        ManagedUpgrade resource = notInstalledShop(null);
        database.execute("CREATE TABLE customers (id bigint PRIMARY KEY, name text)",
                "INSERT INTO customers VALUES (1, 'Ada')", "CREATE TABLE invoices (id bigint PRIMARY KEY)");

        super.client.resource(resource).create();

        ManagedUpgrade blocked = awaitStatus(namespace, "shop", r -> r.getStatus() != null
                && r.getStatus().getPhase() == Phase.Blocked);
        var reason = blocked.getStatus().getConditions().stream().filter(c -> c.getType().equals("UpdateAvailable"))
                .findFirst().orElseThrow();
        assertThat(reason.getStatus()).isEqualTo("False");
        assertThat(reason.getReason()).isEqualTo("DatabaseNotEmpty");
        assertThat(reason.getMessage()).contains("not empty but has no Flyway history: 2 objects")
                .contains("public.customers, public.invoices").contains("never baselines");
        assertThat(blocked.getStatus().getUpgrade()).isNull();
        assertThat(blocked.getStatus().getPlan()).isNull();
        Thread.sleep(2000);
        assertThat(get(namespace, "shop").getStatus().getUpgrade()).as("never started").isNull();
        assertThat(database.relationExists("public.flyway_schema_history")).isFalse();
        assertThat(SqlRows.rows(database.connection(), "SELECT name FROM customers")).containsExactly("Ada");
        assertThat(shop("web").getSpec().getReplicas()).isZero();
        assertThat(image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
    }

    @Test
    void aMigrationThatFailsBeforeAnythingCommittedPutsTheWorkloadsBackAndLeavesTheDatabaseEmpty() throws Exception {
        application = new SampleApplication().breakMigration("1.1.0");
        ManagedUpgrade resource = notInstalledShop(SampleApplication.PLACEHOLDER_IMAGE);
        resource.getSpec().getApplication().setInstalledVersion("none");

        super.client.resource(resource).create();

        ManagedUpgrade rolledBack = Awaitility.await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200)).until(() -> get(namespace, "shop"), r -> r.getStatus() != null
                        && r.getStatus().getHistory() != null && !r.getStatus().getHistory().isEmpty());
        HistoryEntry entry = rolledBack.getStatus().getHistory().get(0);
        assertThat(entry.result()).isEqualTo(UpgradeResult.RolledBack);
        assertThat(entry.message()).contains("no_such_table");
        assertThat(entry.steps()).extracting(StepRecord::name).containsExactly("Preflight", "Migrate 1.1.0",
                "RollBack", "Record");
        assertThat(rolledBack.getStatus().getCurrentVersion()).isNull();
        assertThat(rolledBack.getStatus().getUpgrade().getFailureMessage()).contains("migrating to 1.1.0");
        assertThat(database.relationExists("public.orders")).as("the failed run committed nothing").isFalse();
        assertThat(FirstInstall.assess(true, DatabaseContentsReader.read(database.connection(), List.of(), 5))
                .verdict()).as("a retry may install again").isEqualTo(FirstInstall.Verdict.Install);
        assertThat(image("web")).isEqualTo(SampleApplication.PLACEHOLDER_IMAGE);
        assertThat(shop("web").getSpec().getReplicas()).isZero();
    }

    /** The not-installed shop in a namespace of its own, with {@code image} (null: 1.0.0's); automatic approval. */
    private ManagedUpgrade notInstalledShop(String image) throws Exception {
        notInstalled = new NotInstalledShop(super.client, feeds, application, "first-install-"
                + NAMESPACES.incrementAndGet(), image);
        namespace = notInstalled.namespace;
        database = notInstalled.database;
        return notInstalled.resource();
    }

    private Deployment shop(String name) {
        return notInstalled.deployment(name);
    }

    private String image(String name) {
        return notInstalled.image(name);
    }

    private static int available(Deployment deployment) {
        return deployment.getStatus() == null || deployment.getStatus().getAvailableReplicas() == null ? 0
                : deployment.getStatus().getAvailableReplicas();
    }
}
