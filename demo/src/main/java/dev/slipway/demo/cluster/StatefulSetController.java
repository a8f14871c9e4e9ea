package dev.slipway.demo.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The StatefulSet controller, after pkg/controller/statefulset/stateful_set_control.go (updateStatefulSet,
 * newVersionedStatefulSetPod, completeRollingUpdate) and stateful_set_utils.go: Pods named by ordinal; with
 * OrderedReady each Pod is created only after its predecessors are Running and Ready, and scale-down removes the
 * highest ordinal first, one Pod at a time, waiting while any Pod terminates; RollingUpdate replaces Pods from the
 * highest ordinal down to the partition, one at a time; OnDelete never replaces a Pod: only a Pod someone deleted
 * comes back with the update revision. Revisions are kept in memory instead of ControllerRevision objects.
 */
final class StatefulSetController {

    static final String REVISION_LABEL = "controller-revision-hash";
    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final WorkloadControllers emulation;
    private final ObservedGenerations observed;
    /** Templates by revision name, per StatefulSet uid: what ControllerRevisions hold in a real cluster. */
    private final Map<String, Map<String, PodTemplateSpec>> revisions = new HashMap<>();

    StatefulSetController(WorkloadControllers emulation) {
        this.emulation = emulation;
        this.observed = new ObservedGenerations(emulation);
    }

    void sync(List<StatefulSet> sets, List<Pod> pods, Instant now) {
        for (StatefulSet original : sets) {
            Long observedGeneration = original.getStatus() == null ? null : original.getStatus().getObservedGeneration();
            if (observed.noticed(original, observedGeneration, now)) {
                sync(original, ApiServerDefaults.apply(JSON.clone(original)), pods, now);
            }
        }
        observed.forgetAllBut(sets);
        revisions.keySet().retainAll(sets.stream().map(set -> set.getMetadata().getUid()).toList());
    }

    private void sync(StatefulSet original, StatefulSet set, List<Pod> pods, Instant now) {
        String updateRevision = set.getMetadata().getName() + "-" + PodTemplateHash.of(set.getSpec().getTemplate());
        Map<String, PodTemplateSpec> known = revisions.computeIfAbsent(set.getMetadata().getUid(), uid -> new HashMap<>());
        known.putIfAbsent(updateRevision, JSON.clone(set.getSpec().getTemplate()));
        String currentRevision = original.getStatus() != null && original.getStatus().getCurrentRevision() != null
                ? original.getStatus().getCurrentRevision() : updateRevision;
        int replicas = set.getSpec().getReplicas();
        boolean parallel = "Parallel".equals(set.getSpec().getPodManagementPolicy());
        boolean rollingUpdate = "RollingUpdate".equals(set.getSpec().getUpdateStrategy().getType());
        int partition = rollingUpdate ? set.getSpec().getUpdateStrategy().getRollingUpdate().getPartition() : 0;
        TreeMap<Integer, Pod> byOrdinal = new TreeMap<>();
        pods.stream().filter(pod -> Pods.isControlledBy(pod, set)).forEach(pod -> byOrdinal.put(ordinal(pod), pod));

        step(set, pods, now, byOrdinal, replicas, parallel, rollingUpdate, partition, currentRevision, updateRevision,
                known);
        writeStatus(original, set, byOrdinal, replicas, rollingUpdate, currentRevision, updateRevision);
    }

    /** One step of updateStatefulSet; returns early wherever OrderedReady has to wait. */
    private void step(StatefulSet set, List<Pod> pods, Instant now, TreeMap<Integer, Pod> byOrdinal, int replicas,
            boolean parallel, boolean rollingUpdate, int partition, String currentRevision, String updateRevision,
            Map<String, PodTemplateSpec> known) {
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            Pod pod = byOrdinal.get(ordinal);
            if (pod == null) {
                // newVersionedStatefulSetPod: below the partition a RollingUpdate keeps the current revision
                String revision = rollingUpdate && ordinal < partition && known.containsKey(currentRevision)
                        ? currentRevision : updateRevision;
                Pod created = createPod(set, ordinal, revision, known.get(revision));
                pods.add(created);
                byOrdinal.put(ordinal, created);
                if (!parallel) {
                    return;
                }
            } else if (!parallel && (!Pods.isActive(pod) || !Pods.isRunningAndReady(pod))) {
                return;
            }
        }
        for (Pod condemned : byOrdinal.tailMap(replicas, true).descendingMap().values()) {
            if (!Pods.isActive(condemned)) {
                if (!parallel) {
                    return;
                }
                continue;
            }
            Pods.deleteGracefully(emulation.client(), condemned, now);
            if (!parallel) {
                return;
            }
        }
        if (!rollingUpdate) {
            return;
        }
        for (int ordinal = replicas - 1; ordinal >= partition; ordinal--) {
            Pod pod = byOrdinal.get(ordinal);
            if (pod == null || !Pods.isActive(pod)) {
                return;
            }
            if (!updateRevision.equals(revision(pod))) {
                Pods.deleteGracefully(emulation.client(), pod, now);
                return;
            }
            if (!Pods.isRunningAndReady(pod)) {
                return;
            }
        }
    }

    private Pod createPod(StatefulSet set, int ordinal, String revision, PodTemplateSpec template) {
        String name = set.getMetadata().getName() + "-" + ordinal;
        Pod pod = new PodBuilder().withMetadata(Pods.metadata(template.getMetadata(), set, name))
                .withSpec(JSON.clone(template.getSpec())).build();
        Map<String, String> labels = new LinkedHashMap<>(pod.getMetadata().getLabels() == null ? Map.of()
                : pod.getMetadata().getLabels());
        labels.put(REVISION_LABEL, revision);
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, String.valueOf(ordinal));
        pod.getMetadata().setLabels(labels);
        pod.getSpec().setHostname(name);
        pod.getSpec().setSubdomain(set.getSpec().getServiceName());
        return emulation.client().resource(pod).create();
    }

    /**
     * computeReplicaStatus: every created Pod counts in replicas (terminating ones too), current/updated by revision;
     * completeRollingUpdate moves currentRevision only for RollingUpdate, once every Pod is updated and Ready.
     */
    private void writeStatus(StatefulSet original, StatefulSet set, TreeMap<Integer, Pod> byOrdinal, int replicas,
            boolean rollingUpdate, String currentRevision, String updateRevision) {
        int created = byOrdinal.size();
        int ready = (int) byOrdinal.values().stream().filter(Pods::isRunningAndReady).count();
        int current = (int) byOrdinal.values().stream().filter(pod -> currentRevision.equals(revision(pod))).count();
        int updated = (int) byOrdinal.values().stream().filter(pod -> updateRevision.equals(revision(pod))).count();
        String nextCurrentRevision = currentRevision;
        if (rollingUpdate && updated == created && ready == created) {
            nextCurrentRevision = updateRevision;
            current = updated;
        }
        StatefulSetStatus status = new StatefulSetStatusBuilder()
                .withObservedGeneration(set.getMetadata().getGeneration()).withReplicas(created)
                .withReadyReplicas(ready).withAvailableReplicas(ready).withCurrentReplicas(current)
                .withUpdatedReplicas(updated).withCurrentRevision(nextCurrentRevision)
                .withUpdateRevision(updateRevision)
                .withCollisionCount(original.getStatus() == null ? null : original.getStatus().getCollisionCount())
                .build();
        if (!Objects.equals(status, original.getStatus())) {
            try {
                emulation.client().apps().statefulSets().inNamespace(set.getMetadata().getNamespace())
                        .withName(set.getMetadata().getName()).editStatus(latest -> {
                            latest.setStatus(status);
                            return latest;
                        });
            } catch (KubernetesClientException e) {
                // deleted meanwhile
            }
        }
    }

    private static int ordinal(Pod pod) {
        String name = pod.getMetadata().getName();
        try {
            return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String revision(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(REVISION_LABEL);
    }
}
