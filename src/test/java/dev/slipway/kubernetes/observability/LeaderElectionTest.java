package dev.slipway.kubernetes.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.demo.SampleApplication;
import dev.slipway.kubernetes.ManagedUpgradeReconciler;
import dev.slipway.testing.Crds;
import dev.slipway.testing.WithoutOperatorProfile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas against one API server, electing a leader through a Lease (the CRUD server stores Leases as
 * plain objects with optimistic locking): only the leader reconciles; the standby is started, its informers synced
 * (so QOSDK's readiness check passes on it), and it takes over when the leader stops.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(WithoutOperatorProfile.class)
class LeaderElectionTest {

    private static final String NAMESPACE = "leader-test";
    private static final String LEASE = "slipway-test-leader";

    @Inject
    KubernetesClient client;

    @Inject
    ManagedUpgradeReconciler reconciler;

    @KubernetesTestServer
    KubernetesServer server;

    private final List<Operator> replicas = new ArrayList<>();

    /** Counts the reconciles one replica starts (JOSDK reports each to its Metrics). */
    static final class ReconcileCounter implements Metrics {
        final AtomicInteger reconciles = new AtomicInteger();

        @Override
        public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
            reconciles.incrementAndGet();
        }
    }

    @BeforeEach
    void clusterWithLeasePermission() {
        Crds.applyManagedUpgrade(client);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        // JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which only a real API server evaluates.
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
                        .withResourceRules(new ResourceRuleBuilder().withApiGroups("coordination.k8s.io")
                                .withResources("leases").withVerbs("get", "create", "update").build())
                        .endStatus().build())
                .always();
    }

    @AfterEach
    void stopReplicas() {
        replicas.forEach(Operator::stop);
    }

    @Test
    void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenTheLeaderStops() {
        ReconcileCounter first = new ReconcileCounter();
        ReconcileCounter second = new ReconcileCounter();
        Operator leader = replica("replica-a", first);
        awaitHolder("replica-a");
        Operator standby = replica("replica-b", second);

        assertThat(standby.getRuntimeInfo().isStarted()).isTrue();
        assertThat(standby.getRuntimeInfo().allEventSourcesAreHealthy()).as("standby informers synced").isTrue();

        client.resource(new SampleApplication().managedUpgrade(NAMESPACE, "shop", "http://127.0.0.1:1/releases"))
                .create();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> first.reconciles.get() > 0 && status() != null);
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> second.reconciles.get() == 0);
        assertThat(holder()).isEqualTo("replica-a");

        leader.stop();
        replicas.remove(leader);

        awaitHolder("replica-b");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> second.reconciles.get() > 0);
    }

    private Operator replica(String identity, ReconcileCounter counter) {
        Operator operator = new Operator(overrider -> overrider.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false)
                .withMetrics(counter)
                .withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
                        .withLeaseNamespace(NAMESPACE).withIdentity(identity)
                        .withLeaseDuration(Duration.ofSeconds(4)).withRenewDeadline(Duration.ofSeconds(3))
                        .withRetryPeriod(Duration.ofMillis(250))
                        // The test JVM must survive a replica losing the Lease.
                        .withExitOnStopLeading(false).build()));
        operator.register(reconciler, configuration -> configuration.settingNamespace(NAMESPACE));
        operator.start();
        replicas.add(operator);
        return operator;
    }

    private void awaitHolder(String identity) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> identity.equals(holder()));
    }

    private String holder() {
        Lease lease = client.leases().inNamespace(NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private Object status() {
        ManagedUpgrade resource = client.resources(ManagedUpgrade.class).inNamespace(NAMESPACE).withName("shop").get();
        return resource == null ? null : resource.getStatus();
    }
}
