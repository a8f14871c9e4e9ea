package dev.slipway.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.cluster.RealisticApiServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Deployment emulation behaves as kube-controller-manager's Deployment and ReplicaSet controllers do
 * (pkg/controller/deployment, pkg/controller/replicaset); each test names the behaviour it shows. Runs on the bare
 * CRUD server: the emulation must not depend on the apiserver's defaulting.
 */
class DeploymentEmulationTest {

    private static final String NS = "shop";

    private RealisticApiServer server;
    private KubernetesClient client;
    private WorkloadControllers controllers;

    @BeforeEach
    void start() {
        server = RealisticApiServer.plainCrud();
        client = server.client();
        controllers = new WorkloadControllers(client, Clock.systemUTC()).gracePeriod(Duration.ofSeconds(2)).start();
    }

    @AfterEach
    void stop() {
        controllers.close();
        server.close();
    }

    /** sync.go/getNewReplicaSet: a ReplicaSet named <deployment>-<pod-template-hash>, revision 1, Pods labelled. */
    @Test
    void aDeploymentRunsItsPodsThroughAReplicaSetWithTheTemplatesLabels() {
        client.resource(deployment("web", "acme/web:1.0", 3)).create();

        Deployment ready = awaitDeployment("web", d -> status(d, 3, 3, 3, 3));

        List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(NS).list().getItems();
        assertThat(replicaSets).hasSize(1);
        ReplicaSet replicaSet = replicaSets.get(0);
        String hash = replicaSet.getMetadata().getLabels().get("pod-template-hash");
        assertThat(replicaSet.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(replicaSet.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(ready.getMetadata().getUid()));
        assertThat(replicaSet.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
        assertThat(ready.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
        List<Pod> pods = client.pods().inNamespace(NS).withLabel("app", "web").list().getItems();
        assertThat(pods).hasSize(3).allSatisfy(pod -> {
            assertThat(pod.getMetadata().getName()).startsWith("web-" + hash + "-");
            assertThat(pod.getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        });
        assertThat(condition(ready, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(condition(ready, "Available").getStatus()).isEqualTo("True");
    }

    /**
     * replica_set_utils.go calculateStatus counts only active Pods (controller_utils.go FilterActivePods drops Pods
     * with a deletionTimestamp), so status.replicas drops at once while the Pods still run out their grace period
     * (kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination).
     */
    @Test
    void statusReplicasDropsWhilePodsStillTerminate() {
        client.resource(deployment("web", "acme/web:1.0", 2)).create();
        awaitDeployment("web", d -> status(d, 2, 2, 2, 2));

        client.apps().deployments().inNamespace(NS).withName("web").scale(0);

        awaitDeployment("web", d -> status(d, 0, 0, 0, 0));
        List<Pod> terminating = client.pods().inNamespace(NS).withLabel("app", "web").list().getItems();
        assertThat(terminating).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getMetadata().getDeletionTimestamp()).isNotNull();
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        });
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> client.pods().inNamespace(NS).withLabel("app", "web").list().getItems(),
                        pods -> pods.stream().allMatch(pod -> Long.valueOf(2).equals(
                                pod.getMetadata().getDeletionGracePeriodSeconds())));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> client.pods().inNamespace(NS).withLabel("app", "web").list().getItems(), List::isEmpty);
    }

    /**
     * rolling.go: with maxSurge 1 and maxUnavailable 0 the new ReplicaSet grows one Pod beyond the desired count at a
     * time and old Pods go only as new ones become available; the revision annotation moves to 2.
     */
    @Test
    void aRolloutGoesThroughSurgeStepsAndKeepsEveryReplicaAvailable() {
        controllers.readyDelay(Duration.ofMillis(300)).gracePeriod(Duration.ZERO);
        Deployment web = deployment("web", "acme/web:1.0", 3);
        web.getSpec().setStrategy(null);
        web.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
                .withMaxUnavailable(new IntOrString(0)).endRollingUpdate().build());
        client.resource(web).create();
        awaitDeployment("web", d -> status(d, 3, 3, 3, 3));

        client.apps().deployments().inNamespace(NS).withName("web").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("acme/web:2.0");
            return d;
        });
        List<Integer> updatedSeen = new ArrayList<>();
        List<Integer> activePodsSeen = new ArrayList<>();
        List<Integer> availableSeen = new ArrayList<>();
        Deployment rolled = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    Deployment d = client.apps().deployments().inNamespace(NS).withName("web").get();
                    activePodsSeen.add((int) client.pods().inNamespace(NS).list().getItems().stream()
                            .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).count());
                    if (d.getStatus() != null && d.getStatus().getUpdatedReplicas() != null) {
                        updatedSeen.add(d.getStatus().getUpdatedReplicas());
                        availableSeen.add(d.getStatus().getAvailableReplicas());
                    }
                    return d;
                }, d -> d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                        && status(d, 3, 3, 3, 3) && "acme/web:2.0".equals(image(d)));

        assertThat(updatedSeen).as("updatedReplicas went through intermediate steps").contains(1, 2);
        assertThat(activePodsSeen).as("never more than replicas + maxSurge Pods").allMatch(count -> count <= 4);
        assertThat(availableSeen).as("maxUnavailable 0: never fewer than 3 available").allMatch(count -> count >= 3);
        assertThat(rolled.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
        assertThat(client.pods().inNamespace(NS).list().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null))
                .as("old Pods may still be finishing their termination; every running one is new")
                .hasSize(3).allSatisfy(pod -> assertThat(pod.getSpec().getContainers().get(0).getImage())
                        .isEqualTo("acme/web:2.0"));
        assertThat(client.apps().replicaSets().inNamespace(NS).list().getItems()).hasSize(2)
                .anySatisfy(rs -> assertThat(rs.getSpec().getReplicas()).isZero());
    }

    /**
     * progress.go / deployment_util.go DeploymentTimedOut: no progress for progressDeadlineSeconds (the new Pods
     * crash-loop) turns Progressing False with reason ProgressDeadlineExceeded; the old Pods keep serving.
     */
    @Test
    void podsThatNeverBecomeReadyExceedTheProgressDeadline() {
        controllers.crashLoop("acme/web:broken");
        Deployment web = deployment("web", "acme/web:1.0", 2);
        web.getSpec().setProgressDeadlineSeconds(1);
        client.resource(web).create();
        awaitDeployment("web", d -> status(d, 2, 2, 2, 2));

        client.apps().deployments().inNamespace(NS).withName("web").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("acme/web:broken");
            return d;
        });

        Deployment stuck = awaitDeployment("web", d -> d.getStatus() != null && condition(d, "Progressing") != null
                && "ProgressDeadlineExceeded".equals(condition(d, "Progressing").getReason()));
        DeploymentCondition progressing = condition(stuck, "Progressing");
        assertThat(progressing.getStatus()).isEqualTo("False");
        assertThat(progressing.getMessage()).matches("ReplicaSet \"web-[a-z0-9]+\" has timed out progressing\\.");
        assertThat(stuck.getStatus().getAvailableReplicas()).isEqualTo(2);
        assertThat(stuck.getStatus().getUpdatedReplicas()).isPositive();
        assertThat(client.pods().inNamespace(NS).list().getItems().stream()
                .filter(pod -> "acme/web:broken".equals(pod.getSpec().getContainers().get(0).getImage())))
                .isNotEmpty().allSatisfy(pod -> assertThat(
                        pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
                        .isEqualTo("CrashLoopBackOff"));
    }

    /**
     * A real apiserver increments metadata.generation on every spec change and not on status writes; the CRUD server
     * already does (KubernetesCrudPersistence.touchGeneration). status.observedGeneration then lags by the configured
     * delay: until the controller notices, the status still describes the old spec.
     */
    @Test
    void observedGenerationLagsASpecChangeByTheConfiguredDelay() {
        client.resource(deployment("web", "acme/web:1.0", 1)).create();
        awaitDeployment("web", d -> status(d, 1, 1, 1, 1) && Long.valueOf(1).equals(d.getStatus().getObservedGeneration()));
        controllers.observedGenerationDelay(Duration.ofMillis(1500));

        Deployment scaled = client.apps().deployments().inNamespace(NS).withName("web").edit(d -> {
            d.getSpec().setReplicas(2);
            return d;
        });

        assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2);
        Deployment meanwhile = client.apps().deployments().inNamespace(NS).withName("web").get();
        assertThat(meanwhile.getStatus().getObservedGeneration()).isEqualTo(1);
        assertThat(meanwhile.getStatus().getReplicas()).isEqualTo(1);
        long before = System.nanoTime();
        awaitDeployment("web", d -> Long.valueOf(2).equals(d.getStatus().getObservedGeneration()));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThan(Duration.ofMillis(1000));
        awaitDeployment("web", d -> status(d, 2, 2, 2, 2));
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getMetadata().getGeneration())
                .as("status writes do not bump the generation").isEqualTo(2);
    }

    /** sync.go getNewReplicaSet: going back to an earlier template reuses its ReplicaSet under the next revision. */
    @Test
    void rollingBackToAnEarlierTemplateGivesItsReplicaSetTheNextRevision() {
        controllers.gracePeriod(Duration.ZERO);
        client.resource(deployment("web", "acme/web:1.0", 1)).create();
        awaitDeployment("web", d -> status(d, 1, 1, 1, 1));
        setImage("acme/web:2.0");
        awaitDeployment("web", d -> "2".equals(d.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
                && status(d, 1, 1, 1, 1));
        setImage("acme/web:1.0");

        awaitDeployment("web", d -> "3".equals(d.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
                && status(d, 1, 1, 1, 1));
        assertThat(client.apps().replicaSets().inNamespace(NS).list().getItems()).hasSize(2);
    }

    /** A ready delay per image: the slow image's Pods become Ready only after it, the others at once. */
    @Test
    void podsOfASlowImageBecomeReadyOnlyAfterItsReadyDelay() {
        controllers.readyDelay("acme/slow:1", Duration.ofSeconds(3));
        client.resource(deployment("slow", "acme/slow:1", 1)).create();
        client.resource(deployment("fast", "acme/fast:1", 1)).create();

        awaitDeployment("fast", d -> status(d, 1, 1, 1, 1));
        Deployment slow = client.apps().deployments().inNamespace(NS).withName("slow").get();
        assertThat(slow.getStatus() == null ? 0 : slow.getStatus().getReadyReplicas()).isZero();
        awaitDeployment("slow", d -> status(d, 1, 1, 1, 1));
    }

    /** The stand-in for SimulatedKubelet.neverReady: every Pod of one workload crash-loops, others are unaffected. */
    @Test
    void aCrashLoopingWorkloadNeverBecomesAvailable() {
        controllers.crashLoopWorkload(NS, "web");
        client.resource(deployment("web", "acme/web:1.0", 2)).create();
        client.resource(deployment("worker", "acme/worker:1.0", 1)).create();

        awaitDeployment("worker", d -> status(d, 1, 1, 1, 1));
        Deployment web = awaitDeployment("web", d -> Integer.valueOf(2).equals(d.getStatus().getReplicas()));
        assertThat(web.getStatus().getAvailableReplicas()).isZero();
        assertThat(condition(web, "Available").getStatus()).isEqualTo("False");
    }

    /** As {@code kubectl set image}: a patch of the image alone, which the controller's status writes cannot conflict with. */
    private void setImage(String image) {
        client.apps().deployments().inNamespace(NS).withName("web").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + image
                        + "\"}]");
    }

    private Deployment awaitDeployment(String name, Predicate<Deployment> condition) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> client.apps().deployments().inNamespace(NS).withName(name).get(),
                        d -> d != null && d.getStatus() != null && condition.test(d));
    }

    private static boolean status(Deployment d, int replicas, int updated, int ready, int available) {
        var status = d.getStatus();
        return Integer.valueOf(replicas).equals(status.getReplicas())
                && Integer.valueOf(updated).equals(status.getUpdatedReplicas())
                && Integer.valueOf(ready).equals(status.getReadyReplicas())
                && Integer.valueOf(available).equals(status.getAvailableReplicas());
    }

    private static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static Deployment deployment(String name, String image, int replicas) {
        Map<String, String> labels = Map.of("app", name);
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .addNewContainer().withName(name).withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }
}
