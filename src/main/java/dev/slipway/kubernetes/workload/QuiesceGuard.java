package dev.slipway.kubernetes.workload;

import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps "quiesced" true while the database migrates: preflight refuses workloads that something else would scale back
 * up or that cannot be held at zero, and before each migration the workloads are checked to be still at zero with no
 * Pod left, naming whoever scaled them up (the field manager of {@code spec.replicas} in {@code managedFields}).
 */
@ApplicationScoped
public class QuiesceGuard {

    static final String ARGOCD_TRACKING_ID = "argocd.argoproj.io/tracking-id";
    static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
    static final String ARGOCD_MANAGER = "argocd-controller";
    /**
     * KEDA labels the HPA it creates for a ScaledObject with the ScaledObject's name, and pauses a ScaledObject at a
     * fixed replica count with this annotation (keda.sh docs: "Pause autoscaling").
     */
    static final String KEDA_SCALED_OBJECT_LABEL = "scaledobject.keda.sh/name";
    static final String KEDA_PAUSED_REPLICAS = "autoscaling.keda.sh/paused-replicas";
    static final List<String> FLUX_LABELS = List.of("kustomize.toolkit.fluxcd.io/name", "helm.toolkit.fluxcd.io/name");

    private final KubernetesClient client;
    private final Workloads workloads;

    public QuiesceGuard(KubernetesClient client, Workloads workloads) {
        this.client = client;
        this.workloads = workloads;
    }

    /** Why the component's workload cannot be held at zero replicas for the upgrade, with the fix; empty when it can. */
    public Optional<String> obstacle(String namespace, ComponentSpec component, boolean allowAutoscalers) {
        HasMetadata workload = workloads.workload(namespace, component).orElse(null);
        if (workload == null) {
            return Optional.empty();
        }
        String name = describe(workload);
        if (workload instanceof Deployment deployment && Boolean.TRUE.equals(deployment.getSpec().getPaused())) {
            return Optional.of(name + " is paused (spec.paused: true), so its controller would neither scale it down "
                    + "nor roll out the new image; resume it (kubectl rollout resume deployment/"
                    + deployment.getMetadata().getName() + ") before upgrading");
        }
        if (workload instanceof StatefulSet set && partition(set) > 0) {
            return Optional.of(name + " has spec.updateStrategy.rollingUpdate.partition " + partition(set)
                    + ", so its Pods below that ordinal would keep the old image against the new schema; set the "
                    + "partition to 0 before upgrading");
        }
        Optional<HorizontalPodAutoscaler> autoscaler = autoscalerOf(workload);
        if (autoscaler.isPresent()) {
            String hpa = autoscaler.get().getMetadata().getName();
            String scaledObject = orEmpty(autoscaler.get().getMetadata().getLabels()).get(KEDA_SCALED_OBJECT_LABEL);
            if (scaledObject != null) {
                // KEDA's operator itself scales a target below minReplicaCount back up, whatever the HPA does.
                return Optional.of("KEDA ScaledObject '" + scaledObject + "' (through HorizontalPodAutoscaler '" + hpa
                        + "') targets " + name + " and would scale it back up during the migration; pause it for the "
                        + "upgrade with the annotation " + KEDA_PAUSED_REPLICAS + ": \"0\"");
            }
            if (!allowAutoscalers) {
                return Optional.of("HorizontalPodAutoscaler '" + hpa + "' targets " + name + " and would scale it "
                        + "back up during the migration; remove it for the upgrade, or set "
                        + "spec.application.allowAutoscalers: true to rely on the HPA controller leaving a target "
                        + "scaled to 0 replicas alone until Slipway restores its replicas");
            }
        }
        return gitOps(workload).map(tool -> name + " is managed by " + tool + ", whose self-heal would scale it back up "
                + "during the migration; turn off automated sync/self-heal for it (or suspend the reconciliation) "
                + "while Slipway upgrades, and have it ignore spec.replicas and the image");
    }

    /**
     * Whether the component is still quiesced: zero desired replicas and no Pod. Returns what broke it, naming the
     * field manager that set {@code spec.replicas} last when the server records managed fields.
     */
    public Optional<String> violation(String namespace, ComponentSpec component) {
        HasMetadata workload = workloads.workload(namespace, component).orElse(null);
        if (workload == null) {
            return Optional.empty();
        }
        Integer replicas = workload instanceof StatefulSet set ? set.getSpec().getReplicas()
                : ((Deployment) workload).getSpec().getReplicas();
        if (replicas != null && replicas > 0) {
            return Optional.of(describe(workload) + " was scaled back up to " + replicas + " replicas during the upgrade"
                    + replicasManager(workload).map(manager -> " by field manager '" + manager + "'")
                            .orElse(" (the server recorded no field manager)")
                    + "; stop whatever scales it (autoscaler, GitOps self-heal, a script) before retrying");
        }
        List<Pod> pods = workloads.pods(namespace, component);
        if (!pods.isEmpty()) {
            return Optional.of(pods.size() + " pod(s) of " + describe(workload) + " run again during the upgrade: "
                    + String.join(", ", pods.stream().map(p -> p.getMetadata().getName()).toList()));
        }
        return Optional.empty();
    }

    /** "Deployment 'web'". */
    public static String describe(HasMetadata workload) {
        return workload.getKind() + " '" + workload.getMetadata().getName() + "'";
    }

    /**
     * An HPA whose target has 0 replicas is disabled until something scales the target up again: the HPA controller
     * sets ScalingActive=False/ScalingDisabled and does not rescale (kubernetes pkg/controller/podautoscaler/
     * horizontal.go, reconcileAutoscaler), so a plain HPA does not fight the quiesce.
     */
    private Optional<HorizontalPodAutoscaler> autoscalerOf(HasMetadata workload) {
        return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(workload.getMetadata().getNamespace())
                .list().getItems().stream().filter(hpa -> targets(hpa, workload)).findFirst();
    }

    private static boolean targets(HorizontalPodAutoscaler hpa, HasMetadata workload) {
        var target = hpa.getSpec() == null ? null : hpa.getSpec().getScaleTargetRef();
        return target != null && workload.getKind().equals(target.getKind())
                && workload.getMetadata().getName().equals(target.getName());
    }

    /** Argo CD (its tracking annotation, or its instance label written by its controller) or Flux (its labels). */
    public static Optional<String> gitOps(HasMetadata workload) {
        Map<String, String> annotations = orEmpty(workload.getMetadata().getAnnotations());
        Map<String, String> labels = orEmpty(workload.getMetadata().getLabels());
        if (annotations.containsKey(ARGOCD_TRACKING_ID)) {
            return Optional.of("Argo CD (annotation " + ARGOCD_TRACKING_ID + ")");
        }
        if (labels.containsKey(INSTANCE_LABEL) && managers(workload).contains(ARGOCD_MANAGER)) {
            return Optional.of("Argo CD (label " + INSTANCE_LABEL + ", field manager " + ARGOCD_MANAGER + ")");
        }
        return FLUX_LABELS.stream().filter(labels::containsKey).findFirst().map(label -> "Flux (label " + label + ")");
    }

    private static List<String> managers(HasMetadata workload) {
        List<ManagedFieldsEntry> entries = workload.getMetadata().getManagedFields();
        return entries == null ? List.of() : entries.stream().map(ManagedFieldsEntry::getManager).toList();
    }

    /** The manager whose entry owns {@code f:spec.f:replicas}, the most recent one when several do. */
    static Optional<String> replicasManager(HasMetadata workload) {
        List<ManagedFieldsEntry> entries = workload.getMetadata().getManagedFields();
        if (entries == null) {
            return Optional.empty();
        }
        return entries.stream().filter(QuiesceGuard::ownsReplicas)
                .max(Comparator.comparing(e -> e.getTime() == null ? "" : e.getTime()))
                .map(ManagedFieldsEntry::getManager);
    }

    private static boolean ownsReplicas(ManagedFieldsEntry entry) {
        if (entry.getFieldsV1() == null || entry.getFieldsV1().getAdditionalProperties() == null) {
            return false;
        }
        return entry.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec
                && spec.containsKey("f:replicas");
    }

    private static int partition(StatefulSet set) {
        var strategy = set.getSpec().getUpdateStrategy();
        return strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null
                ? 0 : strategy.getRollingUpdate().getPartition();
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
