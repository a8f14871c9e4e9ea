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
                    s.getStatus() != null && s.getStatus().getObservedGeneration() != null
                            && s.getStatus().getObservedGeneration() >= s.getMetadata().getGeneration()));
        }
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
        return Optional.ofNullable(deployment).map(d -> new WorkloadState(image(d.getSpec().getTemplate(), component),
                orZero(d.getSpec().getReplicas()), d.getStatus() == null ? 0 : orZero(d.getStatus().getReadyReplicas()),
                d.getStatus() == null ? 0 : orZero(d.getStatus().getUpdatedReplicas()),
                d.getStatus() == null ? 0 : orZero(d.getStatus().getReplicas()),
                d.getStatus() != null && d.getStatus().getObservedGeneration() != null
                        && d.getMetadata().getGeneration() != null
                        && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()));
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

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
