package dev.slipway.kubernetes;

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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import dev.slipway.kubernetes.upgrade.UpgradeExecutor;
import jakarta.inject.Inject;
import java.util.Map;
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

    /** The maintenance page gets 3 seconds to become Ready, so the never-Ready case ends quickly. */
    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("slipway.page.ready-timeout", "3s");
        }
    }

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    @Inject
    UpgradeExecutor executor;
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

    @Test
    void maintenancePageThatNeverBecomesReadyAbortsBeforeTrafficIsTouched() {
        kubelet.neverReady(shop.namespace, "shop-maintenance");
        Ingress original = shop.ingress();
        client.resource(shop.resource("shop")).create();

        ManagedUpgrade aborted = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && "RolledBack".equals(r.getStatus().getUpgrade().getResult()));
        assertThat(aborted.getStatus().getUpgrade().getFailureReason()).isEqualTo("PageNotReady");
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
                && "StartStop".equals(r.getStatus().getUpgrade().getStep()));

        client.resource(shop.ingress()).delete();
        kubelet.close();
        kubelet = new SimulatedKubelet(client).start();

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && "Failed".equals(r.getStatus().getUpgrade().getResult()));
        assertThat(failed.getStatus().getUpgrade().getFailureReason()).isEqualTo("IngressMissing");
        assertThat(failed.getStatus().getUpgrade().getOriginalIngress()).isEqualTo(json(original.getSpec()));
        assertThat(failed.getStatus().getPhase()).isEqualTo("Failed");
    }

    @Test
    void workloadDeletedMidUpgradeHoldsTheUpgradeWithTheReason() {
        kubelet.neverReady(shop.namespace, "web");
        client.resource(shop.resource("shop")).create();
        awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && "StartStop".equals(r.getStatus().getUpgrade().getStep()));

        client.resource(shop.deployment("worker")).delete();

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && "Failed".equals(r.getStatus().getUpgrade().getResult()));
        assertThat(failed.getStatus().getUpgrade().getFailureReason()).isEqualTo("WorkloadMissing");
        assertThat(failed.getStatus().getUpgrade().getFailureMessage()).contains("worker");
        assertThat(shop.ingress().getMetadata().getAnnotations()).containsKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
    }

    @ParameterizedTest(name = "status lost after {0}")
    @ValueSource(strings = {"SwapTraffic", "Quiesce"})
    void lostStatusStillEndsWithTheOriginalIngressAndReplicasThanksToTheirAnnotations(String lostAfter) throws Exception {
        Ingress original = shop.ingress();
        // Right after the step, pause the upgrade (as an admin would) before the operator can go on, then lose
        // the whole status.
        AtomicBoolean paused = new AtomicBoolean();
        executor.setCheckpointListener((step, completed) -> {
            if (step.equals(lostAfter) && completed && paused.compareAndSet(false, true)) {
                editSpec(shop.namespace, "shop", r -> r.getSpec().getPolicy().setPaused(true));
                throw new IllegalStateException("paused by the test after " + step);
            }
        });
        client.resource(shop.resource("shop")).create();
        awaitStatus(shop.namespace, "shop", r -> "Paused".equals(r.getStatus().getPhase()));
        executor.setCheckpointListener(null);
        assertThat(shop.ingress().getMetadata().getAnnotations()).containsKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
        ManagedUpgrade current = get(shop.namespace, "shop");
        current.setStatus(new ManagedUpgradeStatus());
        client.resource(current).updateStatus();

        editSpec(shop.namespace, "shop", r -> r.getSpec().getPolicy().setPaused(false));
        awaitStatus(shop.namespace, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion())
                && r.getStatus().getUpgrade() == null);
        assertThat(json(shop.ingress().getSpec())).isEqualTo(json(original.getSpec()));
        assertThat(shop.ingress().getMetadata().getAnnotations()).doesNotContainKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(shop.replicas("worker")).isEqualTo(1);
        assertThat(shop.deployment("web").getMetadata().getAnnotations()).doesNotContainKey(Workloads.ORIGINAL_REPLICAS);
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

    @Test
    void secretValuesAppearNowhereInStatusEventsOrThePage() throws Exception {
        String password = shop.database.password();
        client.resource(shop.application.breakMigration("1.2.0").managedUpgrade(shop.namespace, "shop",
                shop.releaseApi.url())).create();
        awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && "Failed".equals(r.getStatus().getUpgrade().getResult()));

        String everything = json(get(shop.namespace, "shop").getStatus())
                + json(client.v1().events().inNamespace(shop.namespace).list())
                + json(client.configMaps().inNamespace(shop.namespace).withName("shop-maintenance").get());
        assertThat(password).isNotBlank();
        assertThat(everything).doesNotContain(password).doesNotContain("password=");
    }
}
