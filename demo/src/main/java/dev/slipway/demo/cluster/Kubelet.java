package dev.slipway.demo.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kubelet's part: start Pods, report readiness after the ready delay, and finish graceful termination.
 * Termination follows kube-apiserver's graceful deletion (pkg/registry/rest/delete.go BeforeDelete: the object gets
 * deletionTimestamp = now + grace and deletionGracePeriodSeconds) and the kubelet (pkg/kubelet/kubelet.go: containers
 * get SIGTERM, then are killed when the grace period ends; the Pod is removed after that). A terminating Pod reports
 * Ready=False, as the kubelet's status manager does once the Pod is being deleted, but keeps running until then.
 */
final class Kubelet {

    private final WorkloadControllers emulation;
    private final Map<String, Instant> terminationDeadlines = new HashMap<>();
    private final Map<String, Pod> running = new HashMap<>();

    Kubelet(WorkloadControllers emulation) {
        this.emulation = emulation;
    }

    /** One step for every Pod; removes from {@code pods} those that finished terminating. */
    void sync(List<Pod> pods, Instant now) {
        Set<String> present = new HashSet<>();
        pods.forEach(pod -> present.add(pod.getMetadata().getUid()));
        for (String uid : new ArrayList<>(running.keySet())) {
            if (!present.contains(uid)) {
                // removed without waiting for the kubelet (a force delete, or someone took the finalizer off)
                stopped(running.get(uid));
            }
        }
        terminationDeadlines.keySet().retainAll(present);
        for (Pod pod : new ArrayList<>(pods)) {
            if (Pods.hasFinished(pod)) {
                // Succeeded or Failed (a Job's Pod, restartPolicy Never): the kubelet never runs it again.
                continue;
            }
            if (Pods.isActive(pod)) {
                run(pod, now);
            } else if (terminate(pod, now)) {
                pods.remove(pod);
            }
        }
    }

    private void run(Pod pod, Instant now) {
        boolean crashLooping = emulation.crashLoops(pod);
        Instant started = Pods.startTime(pod) == null ? now : Pods.startTime(pod);
        boolean ready = !crashLooping && !now.isBefore(started.plus(emulation.readyDelayOf(pod)));
        if (Pods.startTime(pod) == null || !String.valueOf(ready).equalsIgnoreCase(Pods.readyStatus(pod))) {
            writeStatus(pod, Pods.runningStatus(pod, started, ready, crashLooping));
        }
        if (!crashLooping && !running.containsKey(pod.getMetadata().getUid())) {
            running.put(pod.getMetadata().getUid(), pod);
            emulation.podHooks().forEach(hook -> hook.started(pod));
        }
    }

    /** Marks the grace period on the Pod once, and ends it when it is over; true when the Pod is gone. */
    private boolean terminate(Pod pod, Instant now) {
        String uid = pod.getMetadata().getUid();
        Duration grace = emulation.gracePeriodOf(pod);
        Instant deadline = terminationDeadlines.computeIfAbsent(uid, key -> now.plus(grace));
        if (pod.getMetadata().getDeletionGracePeriodSeconds() == null) {
            edit(pod, latest -> {
                latest.getMetadata().setDeletionGracePeriodSeconds(grace.toSeconds());
                latest.getMetadata().setDeletionTimestamp(Pods.timestamp(deadline));
            });
        }
        if (now.isBefore(deadline)) {
            if (!"False".equals(Pods.readyStatus(pod)) && pod.getStatus() != null) {
                Instant started = Pods.startTime(pod) == null ? now : Pods.startTime(pod);
                writeStatus(pod, Pods.runningStatus(pod, started, false, emulation.crashLoops(pod)));
            }
            return false;
        }
        if (running.containsKey(uid)) {
            stopped(running.get(uid));
        }
        terminationDeadlines.remove(uid);
        edit(pod, latest -> {
            List<String> finalizers = new ArrayList<>(latest.getMetadata().getFinalizers());
            finalizers.remove(WorkloadControllers.POD_FINALIZER);
            latest.getMetadata().setFinalizers(finalizers);
        });
        return true;
    }

    private void stopped(Pod pod) {
        running.remove(pod.getMetadata().getUid());
        emulation.podHooks().forEach(hook -> hook.stopped(pod));
    }

    private void writeStatus(Pod pod, PodStatus status) {
        pod.setStatus(status);
        try {
            Pod written = emulation.client().pods().inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName()).editStatus(latest -> {
                        latest.setStatus(status);
                        return latest;
                    });
            pod.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
        } catch (KubernetesClientException e) {
            // gone meanwhile; the next pass no longer sees it
        }
    }

    private void edit(Pod pod, java.util.function.Consumer<Pod> change) {
        try {
            emulation.client().pods().inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName()).edit(latest -> {
                        change.accept(latest);
                        return latest;
                    });
        } catch (KubernetesClientException e) {
            // gone meanwhile
        }
    }
}
