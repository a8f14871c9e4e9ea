package dev.slipway.kubernetes.workload;

import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.spec.WorkloadKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The application's component workloads (Deployments and StatefulSets): what they run, and how many replicas.
 * Writes use JSON patches so they never overwrite fields other controllers own.
 */
@ApplicationScoped
public class Workloads {

    private final KubernetesClient client;

    public Workloads(KubernetesClient client) {
        this.client = client;
    }

    /** A workload's observed state. */
    public record WorkloadState(String image, int desiredReplicas, int readyReplicas, int updatedReplicas,
            int currentReplicas, boolean generationObserved) {

        /** All desired replicas run the current template and are ready. */
        public boolean rolledOut() {
            return generationObserved && updatedReplicas >= desiredReplicas && readyReplicas >= desiredReplicas
                    && currentReplicas <= desiredReplicas;
        }
    }

    public Optional<WorkloadState> state(String namespace, ComponentSpec component) {
        String name = component.getWorkload().getName();
        if (kind(component) == WorkloadKind.StatefulSet) {
            StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
            return Optional.ofNullable(set).map(s -> new WorkloadState(image(s.getSpec().getTemplate(), component),
                    orZero(s.getSpec().getReplicas()), s.getStatus() == null ? 0 : orZero(s.getStatus().getReadyReplicas()),
                    s.getStatus() == null ? 0 : orZero(s.getStatus().getUpdatedReplicas()),
                    s.getStatus() == null ? 0 : orZero(s.getStatus().getReplicas()),
                    generationObserved(s.getMetadata().getGeneration(),
                            s.getStatus() == null ? null : s.getStatus().getObservedGeneration())));
        }
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
        return Optional.ofNullable(deployment).map(d -> new WorkloadState(image(d.getSpec().getTemplate(), component),
                orZero(d.getSpec().getReplicas()), d.getStatus() == null ? 0 : orZero(d.getStatus().getReadyReplicas()),
                d.getStatus() == null ? 0 : orZero(d.getStatus().getUpdatedReplicas()),
                d.getStatus() == null ? 0 : orZero(d.getStatus().getReplicas()),
                generationObserved(d.getMetadata().getGeneration(),
                        d.getStatus() == null ? null : d.getStatus().getObservedGeneration())));
    }

    /** Sets the desired replicas; a no-op when already so. Returns false if the workload does not exist. */
    public boolean scale(String namespace, ComponentSpec component, int replicas) {
        return edit(namespace, component, template -> {
        }, replicas);
    }

    /** Sets the component's container image; returns false if the workload does not exist. */
    public boolean setImage(String namespace, ComponentSpec component, String image) {
        return edit(namespace, component, template -> {
            int index = containerIndex(template.getSpec().getContainers(), component);
            if (index < 0) {
                throw new IllegalStateException("workload " + component.getWorkload().getName() + " has no container "
                        + component.getContainer());
            }
            template.getSpec().getContainers().get(index).setImage(image);
        }, null);
    }

    private boolean edit(String namespace, ComponentSpec component, java.util.function.Consumer<PodTemplateSpec> change,
            Integer replicas) {
        String name = component.getWorkload().getName();
        if (kind(component) == WorkloadKind.StatefulSet) {
            var set = client.apps().statefulSets().inNamespace(namespace).withName(name);
            StatefulSet current = set.get();
            if (current == null) {
                return false;
            }
            StatefulSet desired = client.getKubernetesSerialization().clone(current);
            change.accept(desired.getSpec().getTemplate());
            if (replicas != null) {
                desired.getSpec().setReplicas(replicas);
            }
            if (!desired.getSpec().equals(current.getSpec())) {
                set.edit(s -> desired);
            }
            return true;
        }
        var deployment = client.apps().deployments().inNamespace(namespace).withName(name);
        Deployment current = deployment.get();
        if (current == null) {
            return false;
        }
        Deployment desired = client.getKubernetesSerialization().clone(current);
        change.accept(desired.getSpec().getTemplate());
        if (replicas != null) {
            desired.getSpec().setReplicas(replicas);
        }
        if (!desired.getSpec().equals(current.getSpec())) {
            deployment.edit(d -> desired);
        }
        return true;
    }

    static WorkloadKind kind(ComponentSpec component) {
        return component.getWorkload().getKind() == null ? WorkloadKind.Deployment : component.getWorkload().getKind();
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
