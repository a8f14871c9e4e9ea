package dev.slipway.kubernetes.page;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.core.image.ImageMatcher;
import dev.slipway.kubernetes.spec.SpecReader;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * The page server: the operator's own image in {@code maintenance-page} mode, hardened, one replica while an upgrade
 * runs and none otherwise.
 */
@ApplicationScoped
public class PageDeployment {

    private final KubernetesClient client;
    private final SlipwayConfig config;

    public PageDeployment(KubernetesClient client, SlipwayConfig config) {
        this.client = client;
        this.config = config;
    }

    /** Creates or updates the Deployment with {@code replicas}; returns whether that many replicas are Ready. */
    public boolean ensure(ManagedUpgrade resource, int replicas) {
        Deployment desired = desired(resource, replicas, config.page().image());
        Deployment existing = client.apps().deployments().inNamespace(resource.getMetadata().getNamespace())
                .withName(PageNames.name(resource)).get();
        if (existing == null) {
            existing = client.resource(desired).createOr(NonDeletingOperation::update);
        } else if (!OwnedFields.of(existing, images(resource)).equals(OwnedFields.of(desired, ImageMatcher.exact()))) {
            // Against the version just read: a concurrent write is a 409 retried on the next pass, never overwritten.
            desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            existing = client.resource(desired).update();
        }
        int ready = existing.getStatus() == null || existing.getStatus().getReadyReplicas() == null ? 0
                : existing.getStatus().getReadyReplicas();
        return replicas == 0 || ready >= replicas;
    }

    /** The page's image may be moved to the same mirror as the application's. */
    private static ImageMatcher images(ManagedUpgrade resource) {
        var application = resource.getSpec().getApplication();
        return application == null ? ImageMatcher.exact() : SpecReader.imageMatcher(application.getImageRewrite());
    }

    /** Scales the page to zero if it exists. */
    public void scaleDown(ManagedUpgrade resource) {
        var existing = client.apps().deployments().inNamespace(resource.getMetadata().getNamespace())
                .withName(PageNames.name(resource));
        if (existing.get() != null) {
            existing.edit(d -> {
                d.getSpec().setReplicas(0);
                return d;
            });
        }
    }

    /**
     * The fields of the page Deployment that Slipway sets, read the same way from what it wants and from what the
     * API server stored. A real apiserver defaults the rest (strategy, probe thresholds, port protocols, a fieldRef's
     * apiVersion, ...) and mutating admission may pin the image to a digest, so comparing whole specs would rewrite
     * the Deployment on every pass.
     */
    record OwnedFields(Integer replicas, Map<String, String> labels, Map<String, String> selector,
            Map<String, String> podLabels, String serviceAccount, List<Object> containers) {

        /** @param images undoes what admission did to the image (a configured mirror); digests are always dropped */
        static OwnedFields of(Deployment deployment, ImageMatcher images) {
            var spec = deployment.getSpec();
            var pod = spec.getTemplate().getSpec();
            return new OwnedFields(spec.getReplicas(), PageNames.ownedLabels(deployment.getMetadata().getLabels()),
                    spec.getSelector() == null ? null : spec.getSelector().getMatchLabels(),
                    PageNames.ownedLabels(spec.getTemplate().getMetadata().getLabels()),
                    pod.getServiceAccountName(), pod.getContainers().stream().map(c -> container(c, images)).toList());
        }

        private static Object container(Container container, ImageMatcher images) {
            Probe probe = container.getReadinessProbe();
            return List.of(String.valueOf(container.getName()), images.asReleased(container.getImage()),
                    String.valueOf(container.getArgs()),
                    container.getEnv() == null ? List.of() : container.getEnv().stream().map(env -> env.getName() + "="
                            + (env.getValueFrom() == null || env.getValueFrom().getFieldRef() == null ? env.getValue()
                                    : "fieldRef:" + env.getValueFrom().getFieldRef().getFieldPath())).toList(),
                    container.getPorts() == null ? List.of() : container.getPorts().stream()
                            .map(port -> port.getName() + ":" + port.getContainerPort()).toList(),
                    probe == null || probe.getHttpGet() == null ? "none" : probe.getHttpGet().getPath() + " "
                            + probe.getHttpGet().getPort().getIntVal() + " every " + probe.getPeriodSeconds());
        }
    }

    public static Deployment desired(ManagedUpgrade resource, int replicas, String image) {
        String name = PageNames.name(resource);
        return new DeploymentBuilder().withMetadata(PageNames.metadata(resource))
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(PageNames.selector(resource)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(PageNames.selector(resource)).endMetadata()
                .withNewSpec().withServiceAccountName(name).withAutomountServiceAccountToken(true)
                .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault")
                .endSeccompProfile().endSecurityContext()
                .withContainers(new ContainerBuilder().withName("page").withImage(image)
                        .withArgs("maintenance-page")
                        .withEnv(new EnvVarBuilder().withName("SLIPWAY_PAGE_CONFIGMAP").withValue(name).build(),
                                new EnvVarBuilder().withName("SLIPWAY_PAGE_NAMESPACE").withNewValueFrom()
                                        .withNewFieldRef().withFieldPath("metadata.namespace").endFieldRef()
                                        .endValueFrom().build())
                        .addNewPort().withName("http").withContainerPort(PageNames.PAGE_PORT).endPort()
                        .withNewReadinessProbe().withNewHttpGet().withPath("/status.json")
                        .withPort(new IntOrString(PageNames.PAGE_PORT)).endHttpGet().withPeriodSeconds(2).endReadinessProbe()
                        .withNewResources().withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("96Mi")))
                        .withLimits(Map.of("memory", new Quantity("192Mi"))).endResources()
                        .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                        .build())
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().endTemplate().endSpec().build();
    }
}
