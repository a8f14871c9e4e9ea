package dev.slipway.demo.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The Deployment and ReplicaSet controllers: pkg/controller/deployment (sync.go, rolling.go, recreate.go,
 * progress.go, util/deployment_util.go) and pkg/controller/replicaset/replica_set.go, reduced to what a single
 * cluster without schedulers needs.
 */
final class DeploymentController {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String POD_TEMPLATE_HASH = "pod-template-hash";

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final WorkloadControllers emulation;
    private final Random names;
    private final ObservedGenerations observed;

    DeploymentController(WorkloadControllers emulation, Random names) {
        this.emulation = emulation;
        this.names = names;
        this.observed = new ObservedGenerations(emulation);
    }

    void sync(List<Deployment> deployments, List<ReplicaSet> replicaSets, List<Pod> pods, Instant now) {
        List<Deployment> noticed = new ArrayList<>();
        for (Deployment deployment : deployments) {
            if (observed.noticed(deployment,
                    deployment.getStatus() == null ? null : deployment.getStatus().getObservedGeneration(), now)) {
                noticed.add(deployment);
                Deployment defaulted = ApiServerDefaults.apply(JSON.clone(deployment));
                rollout(defaulted, replicaSets, pods);
            }
        }
        observed.forgetAllBut(deployments);
        Map<String, ReplicaSetStatus> statuses = new HashMap<>();
        for (ReplicaSet replicaSet : replicaSets) {
            manageReplicas(replicaSet, pods, now);
            statuses.put(replicaSet.getMetadata().getUid(), writeStatus(replicaSet, pods));
        }
        for (Deployment deployment : noticed) {
            writeStatus(ApiServerDefaults.apply(JSON.clone(deployment)), deployment.getStatus(), replicaSets, statuses,
                    now);
        }
    }

    // --- Deployment controller (sync.go, rolling.go, recreate.go) ---

    private void rollout(Deployment deployment, List<ReplicaSet> replicaSets, List<Pod> pods) {
        List<ReplicaSet> owned = replicaSets.stream().filter(rs -> Pods.isControlledBy(rs, deployment)).toList();
        String hash = PodTemplateHash.of(deployment.getSpec().getTemplate());
        Optional<ReplicaSet> existing = owned.stream().filter(rs -> hash.equals(labels(rs.getMetadata()).get(POD_TEMPLATE_HASH)))
                .findFirst();
        List<ReplicaSet> old = owned.stream().filter(rs -> existing.map(found -> found != rs).orElse(true)).toList();
        long maxOldRevision = old.stream().mapToLong(DeploymentController::revision).max().orElse(0);
        int desired = deployment.getSpec().getReplicas();
        if (Boolean.TRUE.equals(deployment.getSpec().getPaused())) {
            // sync.go sync(): a paused Deployment is only scaled, never rolled to a new template
            existing.filter(rs -> old.stream().allMatch(o -> replicas(o) == 0))
                    .ifPresent(rs -> scale(rs, desired));
            return;
        }
        ReplicaSet newReplicaSet = existing.orElseGet(() -> {
            ReplicaSet created = createReplicaSet(deployment, hash, maxOldRevision + 1);
            replicaSets.add(created);
            return created;
        });
        if (revision(newReplicaSet) <= maxOldRevision) {
            // sync.go getNewReplicaSet: a template that becomes current again (a rollback) gets the next revision
            annotate(newReplicaSet, REVISION, String.valueOf(maxOldRevision + 1));
        }
        annotateDeployment(deployment, String.valueOf(revision(newReplicaSet)));
        if ("Recreate".equals(deployment.getSpec().getStrategy().getType())) {
            recreate(desired, newReplicaSet, old, pods);
        } else {
            rollingUpdate(deployment, desired, newReplicaSet, old, pods);
        }
    }

    /** recreate.go: old ReplicaSets to zero; the new one only after no old Pod runs any more (terminating included). */
    private void recreate(int desired, ReplicaSet newReplicaSet, List<ReplicaSet> old, List<Pod> pods) {
        old.stream().filter(rs -> replicas(rs) > 0).forEach(rs -> scale(rs, 0));
        boolean oldPodsRunning = pods.stream().anyMatch(pod -> old.stream().anyMatch(rs -> Pods.isControlledBy(pod, rs)));
        if (!oldPodsRunning && replicas(newReplicaSet) != desired) {
            scale(newReplicaSet, desired);
        }
    }

    /** rolling.go rolloutRolling: surge the new ReplicaSet, then scale old ones down while enough Pods are available. */
    private void rollingUpdate(Deployment deployment, int desired, ReplicaSet newReplicaSet, List<ReplicaSet> old,
            List<Pod> pods) {
        int maxSurge = maxSurge(deployment, desired);
        int maxUnavailable = maxUnavailable(deployment, desired);
        List<ReplicaSet> all = new ArrayList<>(old);
        all.add(newReplicaSet);
        // reconcileNewReplicaSet (NewRSNewReplicas)
        int newReplicas = replicas(newReplicaSet);
        if (newReplicas > desired) {
            scale(newReplicaSet, desired);
        } else if (newReplicas < desired) {
            int current = all.stream().mapToInt(DeploymentController::replicas).sum();
            int room = desired + maxSurge - current;
            if (room > 0) {
                scale(newReplicaSet, newReplicas + Math.min(room, desired - newReplicas));
            }
        }
        // reconcileOldReplicaSets
        if (old.stream().allMatch(rs -> replicas(rs) == 0)) {
            return;
        }
        int allPods = all.stream().mapToInt(DeploymentController::replicas).sum();
        int minAvailable = desired - maxUnavailable;
        int newUnavailable = replicas(newReplicaSet) - counts(newReplicaSet, pods).available();
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return;
        }
        List<ReplicaSet> oldestFirst = old.stream().sorted(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp(),
                Comparator.nullsFirst(Comparator.naturalOrder()))).toList();
        // cleanupUnhealthyReplicas: unavailable old Pods go first, they serve nobody
        int cleaned = 0;
        for (ReplicaSet rs : oldestFirst) {
            int unhealthy = replicas(rs) - counts(rs, pods).available();
            int scaleDown = Math.min(unhealthy, maxScaledDown - cleaned);
            if (scaleDown > 0) {
                scale(rs, replicas(rs) - scaleDown);
                cleaned += scaleDown;
            }
        }
        // scaleDownOldReplicaSetsForRollingUpdate: only as far as minAvailable allows
        int available = all.stream().mapToInt(rs -> Math.min(replicas(rs), counts(rs, pods).available())).sum();
        int total = available - minAvailable;
        for (ReplicaSet rs : oldestFirst) {
            if (total <= 0) {
                break;
            }
            int scaleDown = Math.min(replicas(rs), total);
            if (scaleDown > 0) {
                scale(rs, replicas(rs) - scaleDown);
                total -= scaleDown;
            }
        }
    }

    /** deployment_util.go ResolveFenceposts: surge rounds up, unavailable down; both zero means one unavailable. */
    static int maxSurge(Deployment deployment, int desired) {
        return resolve(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge(), desired, true);
    }

    static int maxUnavailable(Deployment deployment, int desired) {
        if (!"RollingUpdate".equals(deployment.getSpec().getStrategy().getType()) || desired == 0) {
            return 0;
        }
        var rolling = deployment.getSpec().getStrategy().getRollingUpdate();
        int unavailable = resolve(rolling.getMaxUnavailable(), desired, false);
        if (unavailable == 0 && resolve(rolling.getMaxSurge(), desired, true) == 0) {
            unavailable = 1;
        }
        return Math.min(unavailable, desired);
    }

    private static int resolve(IntOrString value, int desired, boolean roundUp) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        double percent = Integer.parseInt(value.getStrVal().replace("%", "")) * desired / 100.0;
        return (int) (roundUp ? Math.ceil(percent) : Math.floor(percent));
    }

    private ReplicaSet createReplicaSet(Deployment deployment, String hash, long revision) {
        PodTemplateSpec template = JSON.clone(deployment.getSpec().getTemplate());
        Map<String, String> podLabels = new LinkedHashMap<>(labels(template.getMetadata()));
        podLabels.put(POD_TEMPLATE_HASH, hash);
        template.getMetadata().setLabels(podLabels);
        LabelSelector selector = JSON.clone(deployment.getSpec().getSelector());
        Map<String, String> matchLabels = new LinkedHashMap<>(selector.getMatchLabels() == null ? Map.of()
                : selector.getMatchLabels());
        matchLabels.put(POD_TEMPLATE_HASH, hash);
        selector.setMatchLabels(matchLabels);
        ReplicaSet replicaSet = new ReplicaSetBuilder().withNewMetadata()
                .withName(deployment.getMetadata().getName() + "-" + hash)
                .withNamespace(deployment.getMetadata().getNamespace()).withLabels(podLabels)
                .addToAnnotations(REVISION, String.valueOf(revision))
                .withOwnerReferences(Pods.controllerReference(deployment)).endMetadata()
                .withNewSpec().withReplicas(0).withMinReadySeconds(deployment.getSpec().getMinReadySeconds())
                .withSelector(selector).withTemplate(template).endSpec().build();
        return emulation.client().resource(replicaSet).create();
    }

    private void scale(ReplicaSet replicaSet, int replicas) {
        replicaSet.getSpec().setReplicas(replicas);
        ReplicaSet written = emulation.client().apps().replicaSets().inNamespace(replicaSet.getMetadata().getNamespace())
                .withName(replicaSet.getMetadata().getName()).edit(latest -> {
                    latest.getSpec().setReplicas(replicas);
                    return latest;
                });
        replicaSet.setMetadata(written.getMetadata());
    }

    private void annotate(ReplicaSet replicaSet, String key, String value) {
        annotations(replicaSet.getMetadata()).put(key, value);
        emulation.client().apps().replicaSets().inNamespace(replicaSet.getMetadata().getNamespace())
                .withName(replicaSet.getMetadata().getName()).edit(latest -> {
                    annotations(latest.getMetadata()).put(key, value);
                    return latest;
                });
    }

    /** sync.go: the Deployment carries its new ReplicaSet's revision in the same annotation. */
    private void annotateDeployment(Deployment deployment, String revision) {
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        if (annotations != null && revision.equals(annotations.get(REVISION))) {
            return;
        }
        emulation.client().apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                .withName(deployment.getMetadata().getName()).edit(latest -> {
                    annotations(latest.getMetadata()).put(REVISION, revision);
                    return latest;
                });
    }

    // --- ReplicaSet controller (replica_set.go manageReplicas, replica_set_utils.go calculateStatus) ---

    private void manageReplicas(ReplicaSet replicaSet, List<Pod> pods, Instant now) {
        List<Pod> active = pods.stream().filter(pod -> Pods.isControlledBy(pod, replicaSet)).filter(Pods::isActive)
                .toList();
        int diff = active.size() - replicas(replicaSet);
        for (int i = diff; i < 0; i++) {
            pods.add(createPod(replicaSet));
        }
        if (diff > 0) {
            // controller_utils.go ActivePods ranking: not-ready Pods go before ready ones, newer before older
            active.stream().sorted(Comparator.comparing(Pods::isReady)
                    .thenComparing(pod -> Pods.startTime(pod), Comparator.nullsFirst(Comparator.<Instant>naturalOrder().reversed())))
                    .limit(diff).forEach(pod -> Pods.deleteGracefully(emulation.client(), pod, now));
        }
    }

    private Pod createPod(ReplicaSet replicaSet) {
        PodTemplateSpec template = replicaSet.getSpec().getTemplate();
        Pod pod = new PodBuilder().withMetadata(Pods.metadata(template.getMetadata(), replicaSet,
                replicaSet.getMetadata().getName() + "-" + PodTemplateHash.randomSuffix(names)))
                .withSpec(JSON.clone(template.getSpec())).build();
        return emulation.client().resource(pod).create();
    }

    /**
     * replica_set_utils.go calculateStatus: counts only active Pods (FilterActivePods drops those marked for
     * deletion), so a terminating Pod leaves status.replicas at once while it still runs.
     */
    static ReplicaCounts counts(io.fabric8.kubernetes.api.model.HasMetadata owner, List<Pod> pods) {
        List<Pod> active = pods.stream().filter(pod -> Pods.isControlledBy(pod, owner)).filter(Pods::isActive).toList();
        int ready = (int) active.stream().filter(Pods::isReady).count();
        return new ReplicaCounts(active.size(), ready, ready);
    }

    record ReplicaCounts(int replicas, int ready, int available) {
    }

    private ReplicaSetStatus writeStatus(ReplicaSet replicaSet, List<Pod> pods) {
        ReplicaCounts counts = counts(replicaSet, pods);
        ReplicaSetStatus status = new ReplicaSetStatusBuilder().withReplicas(counts.replicas())
                .withFullyLabeledReplicas(counts.replicas()).withReadyReplicas(counts.ready())
                .withAvailableReplicas(counts.available())
                .withObservedGeneration(replicaSet.getMetadata().getGeneration()).build();
        if (!status.equals(replicaSet.getStatus())) {
            replicaSet.setStatus(status);
            try {
                emulation.client().apps().replicaSets().inNamespace(replicaSet.getMetadata().getNamespace())
                        .withName(replicaSet.getMetadata().getName()).editStatus(latest -> {
                            latest.setStatus(status);
                            return latest;
                        });
            } catch (KubernetesClientException e) {
                // deleted meanwhile
            }
        }
        return status;
    }

    // --- Deployment status (sync.go calculateStatus, progress.go syncRolloutStatus) ---

    private void writeStatus(Deployment deployment, DeploymentStatus previous, List<ReplicaSet> replicaSets,
            Map<String, ReplicaSetStatus> statuses, Instant now) {
        List<ReplicaSet> owned = replicaSets.stream().filter(rs -> Pods.isControlledBy(rs, deployment)).toList();
        String hash = PodTemplateHash.of(deployment.getSpec().getTemplate());
        Optional<ReplicaSet> newReplicaSet = owned.stream()
                .filter(rs -> hash.equals(labels(rs.getMetadata()).get(POD_TEMPLATE_HASH))).findFirst();
        int desired = deployment.getSpec().getReplicas();
        int replicas = 0;
        int ready = 0;
        int available = 0;
        for (ReplicaSet rs : owned) {
            ReplicaSetStatus status = statuses.getOrDefault(rs.getMetadata().getUid(), new ReplicaSetStatus());
            replicas += nonNull(status.getReplicas());
            ready += nonNull(status.getReadyReplicas());
            available += nonNull(status.getAvailableReplicas());
        }
        int updated = newReplicaSet.map(rs -> nonNull(statuses.getOrDefault(rs.getMetadata().getUid(),
                new ReplicaSetStatus()).getReplicas())).orElse(0);
        DeploymentStatusBuilder status = new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration()).withReplicas(replicas)
                .withUpdatedReplicas(updated).withReadyReplicas(ready).withAvailableReplicas(available)
                .withUnavailableReplicas(Math.max(0, desired - available));
        String now8601 = Pods.timestamp(now);
        boolean minimumAvailable = available >= desired - maxUnavailable(deployment, desired);
        DeploymentCondition availableCondition = condition(previous, "Available",
                minimumAvailable ? "True" : "False",
                minimumAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                minimumAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                now8601, false);
        String rsName = newReplicaSet.map(rs -> rs.getMetadata().getName()).orElse(deployment.getMetadata().getName());
        DeploymentCondition progressing = progressing(deployment, previous, rsName, desired, replicas, updated,
                available, now);
        status.withConditions(availableCondition, progressing);
        DeploymentStatus next = status.build();
        if (!next.equals(previous)) {
            try {
                emulation.client().apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                        .withName(deployment.getMetadata().getName()).editStatus(latest -> {
                            latest.setStatus(next);
                            return latest;
                        });
            } catch (KubernetesClientException e) {
                // deleted meanwhile
            }
        }
    }

    /**
     * progress.go syncRolloutStatus with deployment_util.go DeploymentComplete, DeploymentProgressing and
     * DeploymentTimedOut: complete is NewReplicaSetAvailable; any progress (more updated, ready or available Pods, or
     * fewer old ones) refreshes lastUpdateTime; no progress for progressDeadlineSeconds is Progressing=False with
     * reason ProgressDeadlineExceeded, which stays until the next progress. A paused Deployment is DeploymentPaused.
     */
    private DeploymentCondition progressing(Deployment deployment, DeploymentStatus previous, String rsName,
            int desired, int replicas, int updated, int available, Instant now) {
        String now8601 = Pods.timestamp(now);
        if (Boolean.TRUE.equals(deployment.getSpec().getPaused())) {
            return condition(previous, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now8601,
                    false);
        }
        boolean complete = updated == desired && replicas == desired && available == desired;
        if (complete) {
            return condition(previous, "Progressing", "True", "NewReplicaSetAvailable",
                    "ReplicaSet \"" + rsName + "\" has successfully progressed.", now8601, false);
        }
        DeploymentStatus before = previous == null ? new DeploymentStatus() : previous;
        int oldBefore = nonNull(before.getReplicas()) - nonNull(before.getUpdatedReplicas());
        boolean progressed = updated > nonNull(before.getUpdatedReplicas())
                || available > nonNull(before.getAvailableReplicas())
                || replicas - updated < oldBefore
                || !Objects.equals(deployment.getMetadata().getGeneration(), before.getObservedGeneration());
        DeploymentCondition current = find(previous, "Progressing");
        if (progressed || current == null || "NewReplicaSetAvailable".equals(current.getReason())) {
            return condition(previous, "Progressing", "True", "ReplicaSetUpdated",
                    "ReplicaSet \"" + rsName + "\" is progressing.", now8601, true);
        }
        if ("ProgressDeadlineExceeded".equals(current.getReason())) {
            return current;
        }
        Instant lastProgress = Instant.parse(current.getLastUpdateTime());
        if (now.isAfter(lastProgress.plusSeconds(deployment.getSpec().getProgressDeadlineSeconds()))) {
            return condition(previous, "Progressing", "False", "ProgressDeadlineExceeded",
                    "ReplicaSet \"" + rsName + "\" has timed out progressing.", now8601, true);
        }
        return current;
    }

    /** A condition; its times stay unless the status or reason changes (or {@code touch} marks progress). */
    private static DeploymentCondition condition(DeploymentStatus previous, String type, String status, String reason,
            String message, String now, boolean touch) {
        DeploymentCondition current = find(previous, type);
        boolean changed = current == null || !status.equals(current.getStatus()) || !reason.equals(current.getReason());
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(changed || current.getLastTransitionTime() == null ? now
                        : current.getLastTransitionTime())
                .withLastUpdateTime(changed || touch || current.getLastUpdateTime() == null ? now
                        : current.getLastUpdateTime())
                .build();
    }

    private static DeploymentCondition find(DeploymentStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static int replicas(ReplicaSet replicaSet) {
        return nonNull(replicaSet.getSpec().getReplicas());
    }

    private static long revision(ReplicaSet replicaSet) {
        String revision = replicaSet.getMetadata().getAnnotations() == null ? null
                : replicaSet.getMetadata().getAnnotations().get(REVISION);
        return revision == null ? 0 : Long.parseLong(revision);
    }

    private static Map<String, String> labels(ObjectMeta metadata) {
        return metadata == null || metadata.getLabels() == null ? Map.of() : metadata.getLabels();
    }

    private static Map<String, String> annotations(ObjectMeta metadata) {
        if (metadata.getAnnotations() == null) {
            metadata.setAnnotations(new LinkedHashMap<>());
        }
        return metadata.getAnnotations();
    }

    private static int nonNull(Integer value) {
        return value == null ? 0 : value;
    }
}
