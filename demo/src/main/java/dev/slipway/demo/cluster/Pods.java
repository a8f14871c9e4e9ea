package dev.slipway.demo.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/** Questions about Pods the controllers share (pkg/api/v1/pod/util.go, pkg/controller/controller_utils.go). */
final class Pods {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private Pods() {
    }

    /** IsPodActive minus the terminal phases, which simulated Pods never reach: not marked for deletion. */
    static boolean isActive(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null;
    }

    /** In a terminal phase, Succeeded or Failed: its containers have exited and are not restarted. */
    static boolean hasFinished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** IsPodReady: the Ready condition is True. */
    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static boolean isRunningAndReady(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()) && isReady(pod);
    }

    static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(reference -> Boolean.TRUE.equals(reference.getController())
                && Objects.equals(reference.getUid(), owner.getMetadata().getUid()));
    }

    /**
     * The Deployment or StatefulSet a Pod belongs to: its controller's name, less the ReplicaSet's
     * {@code -<pod-template-hash>} suffix when the controller is a ReplicaSet.
     */
    static java.util.Optional<String> workloadName(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        if (owners == null) {
            return java.util.Optional.empty();
        }
        return owners.stream().filter(owner -> Boolean.TRUE.equals(owner.getController())).findFirst().map(owner -> {
            String hash = pod.getMetadata().getLabels() == null ? null
                    : pod.getMetadata().getLabels().get(DeploymentController.POD_TEMPLATE_HASH);
            return "ReplicaSet".equals(owner.getKind()) && hash != null && owner.getName().endsWith("-" + hash)
                    ? owner.getName().substring(0, owner.getName().length() - hash.length() - 1)
                    : owner.getName();
        });
    }

    static OwnerReference controllerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** The status the kubelet reports for a running Pod: Ready, or not yet, or crash-looping. */
    static PodStatus runningStatus(Pod pod, Instant startedAt, boolean ready, boolean crashLooping) {
        String readiness = ready ? "True" : "False";
        String started = timestamp(startedAt);
        PodStatusBuilder status = new PodStatusBuilder().withPhase("Running").withStartTime(started)
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("Initialized").withStatus("True").endCondition()
                .addNewCondition().withType("ContainersReady").withStatus(readiness).endCondition()
                .addNewCondition().withType("Ready").withStatus(readiness).endCondition();
        pod.getSpec().getContainers().forEach(container -> {
            var containerStatus = status.addNewContainerStatus().withName(container.getName())
                    .withImage(container.getImage()).withReady(ready).withStarted(!crashLooping)
                    .withRestartCount(crashLooping ? 5 : 0);
            if (crashLooping) {
                containerStatus.withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .withMessage("back-off restarting failed container " + container.getName()).endWaiting()
                        .endState();
            } else {
                containerStatus.withNewState().withNewRunning().withStartedAt(started).endRunning().endState();
            }
            containerStatus.endContainerStatus();
        });
        return status.build();
    }

    static Instant startTime(Pod pod) {
        String started = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
        return started == null ? null : Instant.parse(started);
    }

    static String readyStatus(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(PodCondition::getStatus).findFirst().orElse(null);
    }

    /** A Pod's metadata from its template: owned by the controller, with the finalizer of graceful deletion. */
    static ObjectMeta metadata(ObjectMeta template, HasMetadata owner, String name) {
        ObjectMeta metadata = template == null ? new ObjectMeta() : JSON.clone(template);
        metadata.setName(name);
        metadata.setNamespace(owner.getMetadata().getNamespace());
        metadata.setOwnerReferences(List.of(controllerReference(owner)));
        metadata.setFinalizers(List.of(WorkloadControllers.POD_FINALIZER));
        return metadata;
    }

    /** A controller's delete: the Pod only becomes terminating (the finalizer holds it for the kubelet). */
    static void deleteGracefully(KubernetesClient client, Pod pod, Instant now) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            // already gone
        }
        // terminating from now on, in the caller's copy too; the kubelet finishes it in a later pass
        pod.getMetadata().setDeletionTimestamp(timestamp(now));
    }

    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
