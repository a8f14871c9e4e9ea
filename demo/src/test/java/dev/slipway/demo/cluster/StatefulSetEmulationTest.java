package dev.slipway.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.cluster.RealisticApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The StatefulSet emulation behaves as pkg/controller/statefulset/stateful_set_control.go does
 * (kubernetes.io/docs/concepts/workloads/controllers/statefulset/: deployment and scaling guarantees, update
 * strategies, partitions).
 */
class StatefulSetEmulationTest {

    private static final String NS = "db";

    private RealisticApiServer server;
    private KubernetesClient client;
    private WorkloadControllers controllers;

    @BeforeEach
    void start() {
        server = RealisticApiServer.plainCrud();
        client = server.client();
        controllers = new WorkloadControllers(client, Clock.systemUTC()).gracePeriod(Duration.ZERO).start();
    }

    @AfterEach
    void stop() {
        controllers.close();
        server.close();
    }

    /** OrderedReady: Pod N is created only once Pods 0..N-1 are Running and Ready. */
    @Test
    void orderedReadyCreatesOnePodAtATimeInOrdinalOrder() {
        controllers.readyDelay(Duration.ofMillis(300));
        client.resource(statefulSet("cache", "acme/cache:1", 3, null)).create();

        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(15)).until(() -> {
            List<Pod> pods = pods();
            for (Pod pod : pods) {
                int ordinal = Integer.parseInt(pod.getMetadata().getName().substring("cache-".length()));
                for (int before = 0; before < ordinal; before++) {
                    String predecessor = "cache-" + before;
                    assertThat(pods).as("%s exists only after %s is Ready", pod.getMetadata().getName(), predecessor)
                            .anySatisfy(p -> {
                                assertThat(p.getMetadata().getName()).isEqualTo(predecessor);
                                assertThat(Pods.isRunningAndReady(p)).isTrue();
                            });
                }
            }
            return pods.size() == 3 && pods.stream().allMatch(Pods::isRunningAndReady);
        });
        StatefulSet set = awaitSet(s -> Integer.valueOf(3).equals(s.getStatus().getReadyReplicas()));
        assertThat(pods()).extracting(pod -> pod.getMetadata().getLabels().get("statefulset.kubernetes.io/pod-name"))
                .containsExactlyInAnyOrder("cache-0", "cache-1", "cache-2");
        assertThat(set.getStatus().getCurrentRevision()).isEqualTo(set.getStatus().getUpdateRevision());
    }

    /** OnDelete: the controller never replaces a Pod; only a Pod someone deleted comes back with the new template. */
    @Test
    void onDeleteKeepsTheOldImageUntilThePodIsDeleted() {
        client.resource(statefulSet("cache", "acme/cache:1", 2, "OnDelete")).create();
        awaitSet(s -> Integer.valueOf(2).equals(s.getStatus().getReadyReplicas()));

        setImage("acme/cache:2");
        StatefulSet updated = awaitSet(s -> Long.valueOf(2).equals(s.getStatus().getObservedGeneration()));
        assertThat(updated.getStatus().getUpdateRevision()).isNotEqualTo(updated.getStatus().getCurrentRevision());
        assertThat(updated.getStatus().getUpdatedReplicas()).isZero();
        assertThat(pods()).allSatisfy(pod -> assertThat(image(pod)).isEqualTo("acme/cache:1"));

        client.pods().inNamespace(NS).withName("cache-1").delete();

        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> client.pods().inNamespace(NS).withName("cache-1").get(),
                        pod -> pod != null && "acme/cache:2".equals(image(pod)) && Pods.isRunningAndReady(pod));
        StatefulSet after = awaitSet(s -> Integer.valueOf(1).equals(s.getStatus().getUpdatedReplicas()));
        assertThat(image(client.pods().inNamespace(NS).withName("cache-0").get())).isEqualTo("acme/cache:1");
        assertThat(after.getStatus().getCurrentReplicas()).isEqualTo(1);
    }

    /** RollingUpdate with a partition: Pods at or above the partition are updated, those below keep the old image. */
    @Test
    void aPartitionKeepsTheLowerOrdinalsOnTheOldImage() {
        StatefulSet cache = statefulSet("cache", "acme/cache:1", 3, "RollingUpdate");
        cache.getSpec().getUpdateStrategy().setRollingUpdate(
                new io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategyBuilder().withPartition(1)
                        .build());
        client.resource(cache).create();
        awaitSet(s -> Integer.valueOf(3).equals(s.getStatus().getReadyReplicas()));

        setImage("acme/cache:2");

        StatefulSet set = awaitSet(s -> Integer.valueOf(2).equals(s.getStatus().getUpdatedReplicas())
                && Integer.valueOf(3).equals(s.getStatus().getReadyReplicas()));
        assertThat(image(client.pods().inNamespace(NS).withName("cache-0").get())).isEqualTo("acme/cache:1");
        assertThat(image(client.pods().inNamespace(NS).withName("cache-1").get())).isEqualTo("acme/cache:2");
        assertThat(image(client.pods().inNamespace(NS).withName("cache-2").get())).isEqualTo("acme/cache:2");
        assertThat(set.getStatus().getCurrentRevision()).as("the rollout is not complete")
                .isNotEqualTo(set.getStatus().getUpdateRevision());
    }

    /** OrderedReady scale-down: highest ordinal first, the next only after the previous finished terminating. */
    @Test
    void scaleDownRemovesTheHighestOrdinalFirstOneAtATime() {
        controllers.gracePeriod(Duration.ofMillis(600));
        client.resource(statefulSet("cache", "acme/cache:1", 3, null)).create();
        awaitSet(s -> Integer.valueOf(3).equals(s.getStatus().getReadyReplicas()));

        client.apps().statefulSets().inNamespace(NS).withName("cache").scale(1);

        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(15)).until(() -> {
            List<Pod> pods = pods();
            long terminating = pods.stream().filter(pod -> pod.getMetadata().getDeletionTimestamp() != null).count();
            assertThat(terminating).as("one Pod terminates at a time").isLessThanOrEqualTo(1);
            if (pods.stream().noneMatch(pod -> pod.getMetadata().getName().equals("cache-2"))) {
                return pods.size() <= 2;
            }
            assertThat(pods).as("cache-1 waits while cache-2 is still there").allSatisfy(pod -> {
                if (pod.getMetadata().getName().equals("cache-1")) {
                    assertThat(pod.getMetadata().getDeletionTimestamp()).isNull();
                }
            });
            return false;
        });
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(this::pods, pods -> pods.size() == 1
                && pods.get(0).getMetadata().getName().equals("cache-0"));
    }

    private void setImage(String image) {
        client.apps().statefulSets().inNamespace(NS).withName("cache").edit(s -> {
            s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
            return s;
        });
    }

    private List<Pod> pods() {
        return client.pods().inNamespace(NS).withLabel("app", "cache").list().getItems();
    }

    private StatefulSet awaitSet(Predicate<StatefulSet> condition) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> client.apps().statefulSets().inNamespace(NS).withName("cache").get(),
                        s -> s != null && s.getStatus() != null && condition.test(s));
    }

    private static String image(Pod pod) {
        return pod.getSpec().getContainers().get(0).getImage();
    }

    private static StatefulSet statefulSet(String name, String image, int replicas, String updateStrategy) {
        Map<String, String> labels = Map.of("app", name);
        StatefulSetBuilder builder = new StatefulSetBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .endMetadata().withNewSpec().withReplicas(replicas).withServiceName(name)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .addNewContainer().withName(name).withImage(image).endContainer().endSpec().endTemplate().endSpec();
        if (updateStrategy != null) {
            builder.editSpec().withNewUpdateStrategy().withType(updateStrategy).endUpdateStrategy().endSpec();
        }
        return builder.build();
    }
}
