package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.status.ReplicaRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.artifacts.ArtifactStore;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.kubernetes.page.PageDeployment;
import dev.slipway.kubernetes.workload.Workloads;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Puts back what an upgrade changed, from what it recorded before changing it: the replicas and images of each
 * component (status.upgrade.replicas), the Ingress (status.upgrade.originalIngress), and the page scaled down.
 */
@ApplicationScoped
public class UpgradeUndo {

    private final Workloads workloads;
    private final IngressSwap ingress;
    private final PageDeployment pageDeployment;
    private final ArtifactStore artifacts;

    public UpgradeUndo(Workloads workloads, IngressSwap ingress, PageDeployment pageDeployment, ArtifactStore artifacts) {
        this.workloads = workloads;
        this.ingress = ingress;
        this.pageDeployment = pageDeployment;
        this.artifacts = artifacts;
    }

    /**
     * Before any migration committed: the old images and replicas, then the components' rollout awaited with
     * {@code rollout}, and traffic goes back only once it is Done. Until then the visitors stay on the page.
     */
    StepResult rollBack(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in,
            Function<List<ComponentSpec>, StepResult> rollout) {
        restoreWorkloads(resource, progress, in, true);
        List<ComponentSpec> touched = in.spec().components().stream()
                .filter(component -> recorded(progress, component).isPresent()).toList();
        String namespace = resource.getMetadata().getNamespace();
        // An OnDelete StatefulSet keeps running the new image until its Pods are deleted.
        touched.forEach(component -> workloads.replaceOutdatedPods(namespace, component));
        StepResult rolledOut = rollout.apply(touched);
        if (rolledOut instanceof StepResult.Done) {
            restoreTraffic(resource, progress, in);
        }
        return rolledOut;
    }

    /** After a hop committed, by an admin's abandon: replicas and traffic, images and database left as they are. */
    void abandon(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        restore(resource, progress, in, false);
        // An abandoned upgrade never reaches Record, where bundles are released otherwise.
        artifacts.release(StepRunner.owner(resource));
    }

    /** Once the application runs as it should, the originals saved on the workloads have served their purpose. */
    void forgetOriginals(ManagedUpgrade resource, UpgradeInputs in) {
        in.spec().components().forEach(c -> workloads.forgetOriginal(resource.getMetadata().getNamespace(), c));
    }

    private void restore(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in, boolean images) {
        restoreWorkloads(resource, progress, in, images);
        restoreTraffic(resource, progress, in);
    }

    private void restoreWorkloads(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in, boolean images) {
        String namespace = resource.getMetadata().getNamespace();
        for (ComponentSpec component : in.spec().components()) {
            recorded(progress, component).ifPresent(record -> {
                if (images && record.image() != null) {
                    workloads.setImage(namespace, component, record.image());
                }
                workloads.scale(namespace, component, record.replicas());
            });
        }
    }

    private void restoreTraffic(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        ingress.restore(resource.getMetadata().getNamespace(), in.spec().ingressName(), StepRunner.savedIngress(progress));
        pageDeployment.scaleDown(resource);
        forgetOriginals(resource, in);
    }

    static Optional<ReplicaRecord> recorded(UpgradeProgress progress, ComponentSpec component) {
        return progress.getReplicas() == null ? Optional.empty() : progress.getReplicas().stream()
                .filter(r -> r.component().equals(component.getName())).findFirst();
    }
}
