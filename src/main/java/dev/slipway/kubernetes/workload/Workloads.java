package dev.slipway.kubernetes.workload;

import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.spec.WorkloadKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The application's component workloads (Deployments and StatefulSets): what they run, how many replicas, what they
 * ran before an upgrade touched them, and which Pods they still have. Each edit reads the workload once and writes it
 * with that {@code resourceVersion}, so it never overwrites a change made meanwhile (the server answers 409 instead,
 * and the edit reads again).
 */
@ApplicationScoped
public class Workloads {

    /** Replicas and image before the upgrade, kept on the workload itself so a lost status cannot lose them. */
    public static final String ORIGINAL_REPLICAS = "slipway.dev/replicas-before-upgrade";
    public static final String ORIGINAL_IMAGE = "slipway.dev/image-before-upgrade";
    /**
     * Marks the workloads ManagedUpgrades reference: the operator's workload informers select on it, so they cache
     * those workloads only, not every Deployment and StatefulSet of the watched namespaces.
     */
    public static final String WATCHED_LABEL = "slipway.dev/watched";
    /** The label a StatefulSet controller puts on each Pod: the revision of the template it was created from. */
    static final String REVISION_LABEL = "controller-revision-hash";
    private static final int HTTP_CONFLICT = 409;
    private static final int EDIT_ATTEMPTS = 3;

    private final KubernetesClient client;

    public Workloads(KubernetesClient client) {
        this.client = client;
    }

    /**
     * A workload's observed state.
     *
     * @param rolloutFailure the Deployment controller's own message when it gave up on the rollout
     *        (Progressing=False, ProgressDeadlineExceeded), else null
     */
    public record WorkloadState(String image, int desiredReplicas, int readyReplicas, int updatedReplicas,
            int availableReplicas, int currentReplicas, boolean generationObserved, List<String> containers,
            String rolloutFailure) {

        /**
         * The controller has seen the current spec, and all desired replicas run its template and are available,
         * with no old replica left (as {@code kubectl rollout status} decides).
         */
        public boolean rolledOut() {
            return generationObserved && updatedReplicas >= desiredReplicas && availableReplicas >= desiredReplicas
                    && readyReplicas >= desiredReplicas && currentReplicas <= desiredReplicas;
        }
    }

    /** What a component ran before the upgrade. */
    public record Original(int replicas, String image) {
    }

    public Optional<WorkloadState> state(String namespace, ComponentSpec component) {
        return kind(component) == WorkloadKind.StatefulSet
                ? Optional.ofNullable(statefulSets(namespace, component).get()).map(s -> statefulSetState(s, component))
                : Optional.ofNullable(deployments(namespace, component).get()).map(d -> deploymentState(d, component));
    }

    /** Sets the desired replicas; a no-op when already so. Returns false if the workload does not exist. */
    public boolean scale(String namespace, ComponentSpec component, int replicas) {
        return kind(component) == WorkloadKind.StatefulSet
                ? edit(statefulSets(namespace, component), s -> s.getSpec().setReplicas(replicas))
                : edit(deployments(namespace, component), d -> d.getSpec().setReplicas(replicas));
    }

    /** Sets the component's container image; returns false if the workload does not exist. */
    public boolean setImage(String namespace, ComponentSpec component, String image) {
        Consumer<PodTemplateSpec> change = template -> {
            int index = containerIndex(template.getSpec().getContainers(), component);
            if (index < 0) {
                throw new IllegalStateException("workload " + component.getWorkload().getName() + " has no container "
                        + component.getContainer());
            }
            template.getSpec().getContainers().get(index).setImage(image);
        };
        return kind(component) == WorkloadKind.StatefulSet
                ? edit(statefulSets(namespace, component), s -> change.accept(s.getSpec().getTemplate()))
                : edit(deployments(namespace, component), d -> change.accept(d.getSpec().getTemplate()));
    }

    /**
     * What the component ran before the upgrade: read from the workload's annotations when an earlier attempt saved
     * them (the workload may already be scaled down), else taken from its spec now and saved there first.
     */
    public Optional<Original> rememberOriginal(String namespace, ComponentSpec component) {
        return kind(component) == WorkloadKind.StatefulSet
                ? remember(statefulSets(namespace, component), s -> s.getSpec().getReplicas(),
                        s -> s.getSpec().getTemplate(), component)
                : remember(deployments(namespace, component), d -> d.getSpec().getReplicas(),
                        d -> d.getSpec().getTemplate(), component);
    }

    /** Labels the component's workload for the informers ({@link #WATCHED_LABEL}); nothing when missing or labelled. */
    public void watch(String namespace, ComponentSpec component) {
        labelForWatch(namespace, component, "\"true\"");
    }

    /** Removes {@link #WATCHED_LABEL} when nothing manages the workload any more. */
    public void unwatch(String namespace, ComponentSpec component) {
        labelForWatch(namespace, component, "null");
    }

    private void labelForWatch(String namespace, ComponentSpec component, String value) {
        Resource<? extends HasMetadata> resource = kind(component) == WorkloadKind.StatefulSet
                ? statefulSets(namespace, component) : deployments(namespace, component);
        HasMetadata current = resource.get();
        if (current == null) {
            return;
        }
        Map<String, String> labels = current.getMetadata().getLabels();
        boolean labelled = labels != null && "true".equals(labels.get(WATCHED_LABEL));
        if (labelled != "null".equals(value)) {
            return;
        }
        // A JSON merge patch of the one label: it cannot conflict with, or undo, anyone else's change.
        resource.patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"" + WATCHED_LABEL + "\":" + value + "}}}");
    }

    /** Removes the saved original once the upgrade is over. */
    public void forgetOriginal(String namespace, ComponentSpec component) {
        Consumer<HasMetadata> forget = workload -> {
            if (workload.getMetadata().getAnnotations() != null) {
                workload.getMetadata().getAnnotations().remove(ORIGINAL_REPLICAS);
                workload.getMetadata().getAnnotations().remove(ORIGINAL_IMAGE);
            }
        };
        if (kind(component) == WorkloadKind.StatefulSet) {
            edit(statefulSets(namespace, component), forget::accept);
        } else {
            edit(deployments(namespace, component), forget::accept);
        }
    }

    private <T extends HasMetadata> Optional<Original> remember(Resource<T> resource, Function<T, Integer> replicas,
            Function<T, PodTemplateSpec> template, ComponentSpec component) {
        T current = resource.get();
        if (current == null) {
            return Optional.empty();
        }
        Map<String, String> annotations = current.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(ORIGINAL_REPLICAS)) {
            return Optional.of(new Original(Integer.parseInt(annotations.get(ORIGINAL_REPLICAS)),
                    annotations.get(ORIGINAL_IMAGE)));
        }
        Original original = new Original(replicas.apply(current) == null ? 1 : replicas.apply(current),
                image(template.apply(current), component));
        edit(resource, workload -> {
            if (workload.getMetadata().getAnnotations() == null) {
                workload.getMetadata().setAnnotations(new HashMap<>());
            }
            workload.getMetadata().getAnnotations().put(ORIGINAL_REPLICAS, Integer.toString(original.replicas()));
            if (original.image() != null) {
                workload.getMetadata().getAnnotations().put(ORIGINAL_IMAGE, original.image());
            }
        });
        return Optional.of(original);
    }

    private <T extends HasMetadata> boolean edit(Resource<T> resource, Consumer<T> change) {
        for (int attempt = 1; ; attempt++) {
            T current = resource.get();
            if (current == null) {
                return false;
            }
            T desired = client.getKubernetesSerialization().clone(current);
            change.accept(desired);
            if (desired.equals(current)) {
                return true;
            }
            try {
                // desired carries the resourceVersion just read: the write fails rather than undo a change made since
                client.resource(desired).update();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HTTP_CONFLICT || attempt == EDIT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Every Pod the component's workload selects ({@code spec.selector}), terminating ones included:
     * while any exists, some of the application may still run.
     */
    public List<Pod> pods(String namespace, ComponentSpec component) {
        HasMetadata workload = workload(namespace, component).orElse(null);
        LabelSelector selector = workload instanceof StatefulSet set ? set.getSpec().getSelector()
                : workload instanceof Deployment deployment ? deployment.getSpec().getSelector() : null;
        if (selector == null) {
            return List.of();
        }
        // The whole selector, matchExpressions included: matchLabels alone would miss Pods of a workload selected by
        // expressions only, and quiesce would call it stopped while they run.
        return client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems();
    }

    /** The Deployment or StatefulSet of the component, if it exists. */
    public Optional<HasMetadata> workload(String namespace, ComponentSpec component) {
        return Optional.ofNullable(kind(component) == WorkloadKind.StatefulSet ? statefulSets(namespace, component).get()
                : deployments(namespace, component).get());
    }

    /**
     * For an OnDelete StatefulSet, deletes the Pods that do not run its update revision, since its controller
     * replaces a Pod only once it is deleted (Kubernetes docs, "StatefulSets: Update strategies"). Returns how many.
     */
    public int replaceOutdatedPods(String namespace, ComponentSpec component) {
        if (kind(component) != WorkloadKind.StatefulSet) {
            return 0;
        }
        StatefulSet set = statefulSets(namespace, component).get();
        if (set == null || set.getSpec().getUpdateStrategy() == null
                || !"OnDelete".equals(set.getSpec().getUpdateStrategy().getType()) || set.getStatus() == null
                || set.getStatus().getUpdateRevision() == null || !generationObserved(set.getMetadata().getGeneration(),
                        set.getStatus().getObservedGeneration())) {
            return 0;
        }
        int deleted = 0;
        for (Pod pod : pods(namespace, component)) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            if (pod.getMetadata().getDeletionTimestamp() == null
                    && !set.getStatus().getUpdateRevision().equals(labels.get(REVISION_LABEL))) {
                client.resource(pod).delete();
                deleted++;
            }
        }
        return deleted;
    }

    /** The state of {@code workload} (a Deployment or StatefulSet, from a cache, say) as {@link #state} reports it. */
    public static WorkloadState stateOf(HasMetadata workload, ComponentSpec component) {
        return workload instanceof StatefulSet set ? statefulSetState(set, component)
                : deploymentState((Deployment) workload, component);
    }

    /** The kind of workload a component names (Deployment unless it says otherwise). */
    public static Class<? extends HasMetadata> kindClass(ComponentSpec component) {
        return kind(component) == WorkloadKind.StatefulSet ? StatefulSet.class : Deployment.class;
    }

    private static WorkloadState deploymentState(Deployment deployment, ComponentSpec component) {
        DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        boolean observed = generationObserved(deployment.getMetadata().getGeneration(), status.getObservedGeneration());
        return new WorkloadState(image(deployment.getSpec().getTemplate(), component),
                orZero(deployment.getSpec().getReplicas()), orZero(status.getReadyReplicas()),
                orZero(status.getUpdatedReplicas()), orZero(status.getAvailableReplicas()), orZero(status.getReplicas()),
                observed, containerNames(deployment.getSpec().getTemplate()),
                observed ? progressDeadlineExceeded(status).orElse(null) : null);
    }

    /** The controller's message when Progressing is False for ProgressDeadlineExceeded (deployment_util.go). */
    private static Optional<String> progressDeadlineExceeded(DeploymentStatus status) {
        return status.getConditions() == null ? Optional.empty() : status.getConditions().stream()
                .filter(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus())
                        && "ProgressDeadlineExceeded".equals(c.getReason()))
                .map(c -> c.getMessage() == null ? "ProgressDeadlineExceeded" : c.getMessage()).findFirst();
    }

    private static WorkloadState statefulSetState(StatefulSet set, ComponentSpec component) {
        StatefulSetStatus status = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
        return new WorkloadState(image(set.getSpec().getTemplate(), component),
                orZero(set.getSpec().getReplicas()), orZero(status.getReadyReplicas()),
                orZero(status.getUpdatedReplicas()), orZero(status.getAvailableReplicas()), orZero(status.getReplicas()),
                generationObserved(set.getMetadata().getGeneration(), status.getObservedGeneration()),
                containerNames(set.getSpec().getTemplate()), null);
    }

    Resource<Deployment> deployments(String namespace, ComponentSpec component) {
        return client.apps().deployments().inNamespace(namespace).withName(component.getWorkload().getName());
    }

    Resource<StatefulSet> statefulSets(String namespace, ComponentSpec component) {
        return client.apps().statefulSets().inNamespace(namespace).withName(component.getWorkload().getName());
    }

    static WorkloadKind kind(ComponentSpec component) {
        return component.getWorkload().getKind() == null ? WorkloadKind.Deployment : component.getWorkload().getKind();
    }

    private static List<String> containerNames(PodTemplateSpec template) {
        return template.getSpec().getContainers().stream().map(Container::getName).toList();
    }

    /** The image of the component's container: the named one, else the first. */
    static String image(PodTemplateSpec template, ComponentSpec component) {
        return container(template.getSpec().getContainers(), component).map(Container::getImage).orElse(null);
    }

    static Optional<Container> container(List<Container> containers, ComponentSpec component) {
        if (component.getContainer() == null) {
            return containers.stream().findFirst();
        }
        return containers.stream().filter(c -> component.getContainer().equals(c.getName())).findFirst();
    }

    static int containerIndex(List<Container> containers, ComponentSpec component) {
        return container(containers, component).map(containers::indexOf).orElse(-1);
    }

    /** A server that does not track generations (none set) has nothing left to observe. */
    private static boolean generationObserved(Long generation, Long observed) {
        return generation == null || (observed != null && observed >= generation);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
