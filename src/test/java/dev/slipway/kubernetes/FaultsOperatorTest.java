package dev.slipway.kubernetes;

import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.PostgresServer;
import org.junit.jupiter.api.Assumptions;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import dev.slipway.kubernetes.workload.Workloads;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import dev.slipway.kubernetes.upgrade.UpgradeExecutor;
import jakarta.inject.Inject;
import dev.slipway.api.v1alpha1.spec.SecretRef;
import dev.slipway.testing.LogCapture;
import io.restassured.RestAssured;
import java.util.List;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kubernetes faults during an upgrade: each ends in a clear condition with nothing lost. */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(FaultsOperatorTest.ShortTimeouts.class)
class FaultsOperatorTest extends OperatorTestBase {

    /**
     * The maintenance page gets 3 seconds to become Ready, a Release API request 3 seconds to answer and a migration
     * 2 seconds to get its locks, so the cases that wait for a timeout end quickly.
     */
    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("slipway.page.ready-timeout", "3s", "slipway.feed.request-timeout", "3s",
                    "slipway.database.lock-timeout", "2s");
        }
    }

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    @Inject
    UpgradeExecutor executor;
    @KubernetesTestServer
    KubernetesServer server;
    private SimulatedKubelet kubelet;
    private ShopFixture shop;

    @BeforeEach
    void setUp() throws Exception {
        kubelet = new SimulatedKubelet(client).start();
        shop = new ShopFixture(client, "fault-" + NAMESPACES.incrementAndGet(), new SampleApplication());
    }

    @AfterEach
    void tearDown() {
        kubelet.close();
        shop.close();
    }

    @AfterEach
    void releaseListener() {
        executor.setCheckpointListener(null);
    }

    private String json(Object value) {
        return client.getKubernetesSerialization().asJson(value);
    }

    /**
     * Other writers get in between the operator's reads and writes: another client annotates the resource while three
     * steps run, and the API server answers the checkpoint written when each of those steps completes with 409
     * Conflict (injected: the CRUD test server does not check resourceVersions itself); it also refuses both Ingress
     * patches twice. Each write is retried against the latest version; the upgrade ends as if nothing had happened,
     * and the other writer's changes are kept too.
     */
    @Test
    void conflictsOnStatusAndIngressWritesAreRetriedAndLoseNothing() throws Exception {
        Ingress original = shop.ingress();
        String statusPath = "/apis/slipway.dev/v1alpha1/namespaces/" + shop.namespace + "/managedupgrades/shop/status";
        String ingressPath = "/apis/networking.k8s.io/v1/namespaces/" + shop.namespace + "/ingresses/"
                + SampleApplication.INGRESS;
        List<String> racedSteps = List.of("Quiesce", "Migrate 1.1.0", "RollImages 2.0.0");
        executor.setCheckpointListener((step, completed) -> {
            if (!completed && (step.equals("SwapTraffic") || step.equals("RestoreTraffic"))) {
                conflict(true, ingressPath, 2);
            } else if (!completed && racedSteps.contains(step)) {
                conflict(false, statusPath, 1);
                client.resources(ManagedUpgrade.class).inNamespace(shop.namespace).withName("shop")
                        .edit(r -> annotate(r, "test.slipway.dev/raced-" + step.replace(' ', '-'), "yes"));
            }
        });
        client.resource(shop.resource("shop")).create();

        ManagedUpgrade done = awaitStatus(shop.namespace, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion())
                && r.getStatus().getUpgrade() == null);

        assertThat(done.getStatus().getHistory()).singleElement()
                .satisfies(entry -> assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded));
        assertThat(done.getStatus().getHistory().get(0).steps()).extracting("name")
                .doesNotHaveDuplicates().containsAll(racedSteps);
        assertThat(done.getMetadata().getAnnotations()).containsKeys("test.slipway.dev/raced-Quiesce",
                "test.slipway.dev/raced-Migrate-1.1.0", "test.slipway.dev/raced-RollImages-2.0.0");
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
        assertThat(json(shop.ingress().getSpec())).isEqualTo(json(original.getSpec()));
        assertThat(shop.replicas("web")).isEqualTo(2);
        // Every injected conflict was consumed by the operator: writes of our own now go through.
        client.network().v1().ingresses().inNamespace(shop.namespace).withName(SampleApplication.INGRESS)
                .patch(PatchContext.of(PatchType.JSON), "[]");
        client.resource(get(shop.namespace, "shop")).updateStatus();
    }

    private static ManagedUpgrade annotate(ManagedUpgrade resource, String key, String value) {
        resource.getMetadata().setAnnotations(new java.util.HashMap<>(resource.getMetadata().getAnnotations() == null
                ? Map.of() : resource.getMetadata().getAnnotations()));
        resource.getMetadata().getAnnotations().put(key, value);
        return resource;
    }

    /** @param patch the Ingress is written by JSON patch, the status by update */
    private void conflict(boolean patch, String path, int times) {
        (patch ? server.expect().patch() : server.expect().put()).withPath(path).andReturn(409, new StatusBuilder()
                .withStatus("Failure").withReason("Conflict").withCode(409).withMessage("the object has been modified; please apply your"
                        + " changes to the latest version and try again").build()).times(times);
    }

    @Test
    void maintenancePageThatNeverBecomesReadyAbortsBeforeTrafficIsTouched() {
        kubelet.neverReady(shop.namespace, "shop-maintenance");
        Ingress original = shop.ingress();
        client.resource(shop.resource("shop")).create();

        ManagedUpgrade aborted = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);
        assertThat(aborted.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.PageNotReady);
        assertThat(aborted.getStatus().getUpgrade().getFailureMessage()).contains("traffic was not touched");
        assertThat(json(shop.ingress().getSpec())).isEqualTo(json(original.getSpec()));
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(shop.replicas("shop-maintenance")).isZero();
    }

    @Test
    void ingressDeletedMidUpgradeFailsSafeWithTheOriginalSpecKeptInStatus() throws Exception {
        kubelet.neverReady(shop.namespace, "web");
        Ingress original = shop.ingress();
        client.resource(shop.resource("shop")).create();
        awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getStep() == UpgradeStep.StartStop);

        client.resource(shop.ingress()).delete();
        kubelet.close();
        kubelet = new SimulatedKubelet(client).start();

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.Failed);
        assertThat(failed.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.IngressMissing);
        assertThat(failed.getStatus().getUpgrade().getOriginalIngress()).isEqualTo(json(original.getSpec()));
        assertThat(failed.getStatus().getPhase()).isEqualTo(Phase.Failed);
    }

    @Test
    void workloadDeletedMidUpgradeHoldsTheUpgradeWithTheReason() {
        kubelet.neverReady(shop.namespace, "web");
        client.resource(shop.resource("shop")).create();
        awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getStep() == UpgradeStep.StartStop);

        client.resource(shop.deployment("worker")).delete();

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.Failed);
        assertThat(failed.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.WorkloadMissing);
        assertThat(failed.getStatus().getUpgrade().getFailureMessage()).contains("worker");
        assertThat(shop.ingress().getMetadata().getAnnotations()).containsKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
    }

    @ParameterizedTest(name = "status lost after {0}")
    @ValueSource(strings = {"SwapTraffic", "Quiesce", "Migrate 1.1.0", "RollImages 1.1.0", "Migrate 1.2.0"})
    void lostStatusStillEndsWithTheOriginalIngressAndReplicasThanksToTheirAnnotations(String lostAfter) throws Exception {
        Ingress original = shop.ingress();
        // Right after the step, pause the upgrade (as an admin would) before the operator can go on, then lose
        // the whole status.
        AtomicBoolean paused = new AtomicBoolean();
        executor.setCheckpointListener((step, completed) -> {
            if (step.equals(lostAfter) && completed && paused.compareAndSet(false, true)) {
                editSpec(shop.namespace, "shop", r -> r.getSpec().getPolicy().setPaused(true));
                // Let the operator's informer see the pause before this reconcile ends: another event (the kubelet's)
                // would otherwise start the next step from the cached, unpaused spec.
                Awaitility.await().pollDelay(Duration.ofMillis(300)).until(() -> true);
                throw new IllegalStateException("paused by the test after " + step);
            }
        });
        client.resource(shop.resource("shop")).create();
        ManagedUpgrade pausedRun = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getPhase() == Phase.Paused);
        executor.setCheckpointListener(null);
        assertThat(pausedRun.getStatus().getUpgrade().getSteps()).last()
                .satisfies(last -> assertThat(last.name()).as("the last step done before the loss").isEqualTo(lostAfter));
        assertThat(shop.ingress().getMetadata().getAnnotations()).containsKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
        // A reconcile still in flight (woken by the kubelet) may write its stale checkpoint back over the loss; lose
        // it again until the loss sticks.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            ManagedUpgrade current = get(shop.namespace, "shop");
            if (current.getStatus() != null && current.getStatus().getUpgrade() == null) {
                return true;
            }
            current.setStatus(new ManagedUpgradeStatus());
            try {
                client.resource(current).updateStatus();
            } catch (KubernetesClientException conflict) {
                // the operator wrote in between: try again on the next poll
            }
            return false;
        });

        editSpec(shop.namespace, "shop", r -> r.getSpec().getPolicy().setPaused(false));
        awaitStatus(shop.namespace, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion())
                && r.getStatus().getUpgrade() == null);
        assertThat(json(shop.ingress().getSpec())).isEqualTo(json(original.getSpec()));
        assertThat(shop.ingress().getMetadata().getAnnotations()).doesNotContainKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(shop.replicas("worker")).isEqualTo(1);
        assertThat(shop.deployment("web").getMetadata().getAnnotations()).doesNotContainKey(Workloads.ORIGINAL_REPLICAS);
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
        boolean databaseWasAhead = lostAfter.startsWith("Migrate");
        assertThat(client.v1().events().inNamespace(shop.namespace).list().getItems())
                .filteredOn(e -> "UpgradeResumed".equals(e.getReason())).hasSize(databaseWasAhead ? 1 : 0)
                .allSatisfy(e -> assertThat(e.getMessage()).contains("the database is already at schema"));
    }

    /**
     * The first hop's migration loses its session half-way (pg_terminate_backend while it waits on a table this test
     * holds): PostgreSQL rolls the hop back, and since nothing committed Slipway restores the application by itself.
     */
    @Test
    void connectionKilledMidMigrationOfTheFirstHopRollsBackAndRestoresTheApplication() throws Exception {
        Ingress original = shop.ingress();
        AtomicReference<Connection> holder = holdTheOrdersTableFrom("Migrate 1.1.0");
        client.resource(shop.resource("shop")).create();

        int terminated = terminateTheSessionWaitingFor(holder);
        ManagedUpgrade rolledBack = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);

        assertThat(terminated).as("sessions terminated mid-migration").isEqualTo(1);
        assertRolledBackInTheFirstHopWith(rolledBack, original, "lost the connection", "PostgreSQL rolled the run back");
    }

    /** Another session holds a table the first hop alters: the migration waits its lock timeout, then gives up. */
    @Test
    void aTableHeldByAnotherSessionFailsTheHopAfterTheLockTimeoutWithNothingApplied() throws Exception {
        Ingress original = shop.ingress();
        AtomicReference<Connection> holder = holdTheOrdersTableFrom("Migrate 1.1.0");
        client.resource(shop.resource("shop")).create();

        ManagedUpgrade rolledBack = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);
        holder.get().close();

        assertRolledBackInTheFirstHopWith(rolledBack, original, "gave up after 2s waiting for a lock",
                "nothing was applied");
    }

    private void assertRolledBackInTheFirstHopWith(ManagedUpgrade rolledBack, Ingress original, String... words)
            throws Exception {
        assertThat(rolledBack.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.Migrate);
        assertThat(rolledBack.getStatus().getUpgrade().getFailedHop()).isZero();
        assertThat(rolledBack.getStatus().getUpgrade().getFailureMessage()).contains(words);
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(shop.replicas("worker")).isEqualTo(1);
        assertThat(json(shop.ingress().getSpec())).isEqualTo(json(original.getSpec()));
    }

    /** When {@code step} begins, a session of the test takes the orders table exclusively (until closed). */
    private AtomicReference<Connection> holdTheOrdersTableFrom(String step) {
        AtomicReference<Connection> holder = new AtomicReference<>();
        executor.setCheckpointListener((begun, completed) -> {
            if (begun.equals(step) && !completed && holder.get() == null) {
                try {
                    Connection connection = shop.database.open();
                    connection.setAutoCommit(false);
                    connection.createStatement().execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
                    holder.set(connection);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        return holder;
    }

    /** Terminates the session that waits for the table {@code holder} holds, then lets go of the table. */
    private int terminateTheSessionWaitingFor(AtomicReference<Connection> holder) throws Exception {
        try (Connection admin = PostgresServer.get().adminConnection().open(); PreparedStatement waiting =
                admin.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE datname = ? AND wait_event_type = 'Lock'")) {
            waiting.setString(1, shop.database.name());
            return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                try (ResultSet terminated = waiting.executeQuery()) {
                    terminated.next();
                    return terminated.getInt(1);
                }
            }, count -> count > 0);
        } finally {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> holder.get() != null);
            holder.get().close();
        }
    }

    @Test
    void databaseServerRestartDuringQuiesceDoesNotStopTheUpgrade() throws Exception {
        Assumptions.assumeTrue(System.getenv("SLIPWAY_TEST_DB_URL") == null,
                "restarting needs the throwaway PostgreSQL cluster, not an external server");
        AtomicBoolean restarted = new AtomicBoolean();
        executor.setCheckpointListener((step, completed) -> {
            if (step.equals("Quiesce") && !completed && restarted.compareAndSet(false, true)) {
                PostgresServer.get().restart();
            }
        });
        client.resource(shop.resource("shop")).create();

        awaitStatus(shop.namespace, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion())
                && r.getStatus().getUpgrade() == null);
        assertThat(restarted).isTrue();
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
    }

    /**
     * One failing and one successful upgrade with distinctive Secret values (database passwords, a feed token): none
     * appears in the operator's log, status, Events, the page's ConfigMap or the status API.
     */
    @Test
    void secretValuesAppearInNoLogStatusEventPageOrApiResponse() throws Exception {
        String feedToken = "Bearer feed-token-" + java.util.UUID.randomUUID();
        try (LogCapture log = LogCapture.start(); ShopFixture succeeding = new ShopFixture(client,
                "fault-" + NAMESPACES.incrementAndGet(), new SampleApplication())) {
            client.resource(withFeedToken(shop.application.breakMigration("1.2.0")
                    .managedUpgrade(shop.namespace, "shop", shop.releaseApi.url()), feedToken)).create();
            client.resource(withFeedToken(succeeding.resource("shop"), feedToken)).create();
            awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                    && r.getStatus().getUpgrade().getResult() == UpgradeResult.Failed);
            awaitStatus(succeeding.namespace, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion())
                    && r.getStatus().getUpgrade() == null);

            String reader = statusReaderToken();
            StringBuilder everything = new StringBuilder(log.text());
            for (ShopFixture fixture : List.of(shop, succeeding)) {
                everything.append(json(get(fixture.namespace, "shop").getStatus()))
                        .append(json(client.v1().events().inNamespace(fixture.namespace).list()))
                        .append(json(client.configMaps().inNamespace(fixture.namespace).withName("shop-maintenance").get()))
                        .append(statusApi(reader, "/api/v1/namespaces/" + fixture.namespace + "/managedupgrades/shop"));
            }
            everything.append(statusApi(reader, "/api/v1/managedupgrades"));

            assertThat(log.text()).as("the log was captured").contains("shop");
            assertThat(everything.toString()).doesNotContain(shop.database.password())
                    .doesNotContain(succeeding.database.password()).doesNotContain(feedToken)
                    .doesNotContain("feed-token-").doesNotContain("password=");
        }
    }

    /** A status API answer as a permitted reader sees it (not a 401 body, which would show nothing). */
    private static String statusApi(String token, String path) {
        return RestAssured.given().auth().oauth2(token).get(path).then().statusCode(200).extract().asString();
    }

    private ManagedUpgrade withFeedToken(ManagedUpgrade resource, String token) {
        String namespace = resource.getMetadata().getNamespace();
        client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("feed-auth")
                .withNamespace(namespace).endMetadata().addToStringData("Authorization", token).build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        SecretRef headers = new SecretRef();
        headers.setName("feed-auth");
        resource.getSpec().getReleaseSource().setHeadersSecretRef(headers);
        return resource;
    }
}
