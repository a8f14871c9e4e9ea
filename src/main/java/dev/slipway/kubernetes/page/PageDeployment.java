package dev.slipway.kubernetes.page;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.core.image.ImageMatcher;
import dev.slipway.kubernetes.spec.MaintenancePageReader;
import dev.slipway.kubernetes.spec.ResolvedSpec;
import dev.slipway.kubernetes.spec.SpecReader;
import dev.slipway.kubernetes.workload.Workloads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The page server: the operator's own image (or {@code spec.maintenancePage.image}) in {@code maintenance-page} mode,
 * hardened, {@code spec.maintenancePage.replicas} while an upgrade runs and none otherwise, placed and sized as
 * {@code spec.maintenancePage} says.
 */
@ApplicationScoped
public class PageDeployment {

    private final KubernetesClient client;
    private final SlipwayConfig config;
    private final PageDisruptionBudget disruptionBudget;
    private final PagePullSecrets pullSecrets;

    public PageDeployment(KubernetesClient client, SlipwayConfig config, PageDisruptionBudget disruptionBudget,
            PagePullSecrets pullSecrets) {
        this.client = client;
        this.config = config;
        this.disruptionBudget = disruptionBudget;
        this.pullSecrets = pullSecrets;
    }

    /** Brings the page up with {@code spec.maintenancePage.replicas}; returns whether that many are Ready. */
    public boolean ensureUp(ManagedUpgrade resource) {
        return ensure(resource, settings(resource).replicas());
    }

    /**
     * Creates or updates the Deployment with {@code replicas}, with what its pods need first (the copies of the
     * operator's pull Secrets) and its disruption budget; returns whether that many replicas are Ready.
     */
    public boolean ensure(ManagedUpgrade resource, int replicas) {
        pullSecrets.ensure(resource);
        disruptionBudget.ensure(resource, replicas);
        Deployment desired = desired(resource, replicas, config.page().image(), pullSecrets.copies(resource));
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

    private static ResolvedSpec.Page settings(ManagedUpgrade resource) {
        return MaintenancePageReader.read(resource.getSpec().getMaintenancePage());
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
            Map<String, String> podLabels, String serviceAccount, List<String> pullSecrets,
            Map<String, String> nodeSelector, List<String> tolerations, String priorityClassName,
            List<Object> containers) {

        /** @param images undoes what admission did to the image (a configured mirror); digests are always dropped */
        static OwnedFields of(Deployment deployment, ImageMatcher images) {
            var spec = deployment.getSpec();
            var pod = spec.getTemplate().getSpec();
            return new OwnedFields(spec.getReplicas(), PageNames.ownedLabels(deployment.getMetadata().getLabels()),
                    spec.getSelector() == null ? null : spec.getSelector().getMatchLabels(),
                    PageNames.ownedLabels(spec.getTemplate().getMetadata().getLabels()),
                    pod.getServiceAccountName(),
                    pod.getImagePullSecrets() == null ? List.of()
                            : pod.getImagePullSecrets().stream().map(LocalObjectReference::getName).toList(),
                    pod.getNodeSelector() == null ? Map.of() : new TreeMap<>(pod.getNodeSelector()),
                    pod.getTolerations() == null ? List.of()
                            : pod.getTolerations().stream().map(OwnedFields::toleration).toList(),
                    pod.getPriorityClassName() == null ? "" : pod.getPriorityClassName(),
                    pod.getContainers().stream().map(c -> container(c, images)).toList());
        }

        /** An omitted operator means Equal, an omitted effect all effects. */
        private static String toleration(Toleration toleration) {
            return Objects.requireNonNullElse(toleration.getKey(), "") + " "
                    + Objects.requireNonNullElse(toleration.getOperator(), "Equal") + " "
                    + Objects.requireNonNullElse(toleration.getValue(), "") + " "
                    + Objects.requireNonNullElse(toleration.getEffect(), "") + " "
                    + toleration.getTolerationSeconds();
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
                            + probe.getHttpGet().getPort().getIntVal() + " every " + probe.getPeriodSeconds(),
                    container.getResources() == null ? List.of() : List.of(
                            amounts(container.getResources().getRequests()),
                            amounts(container.getResources().getLimits())));
        }

        /** The API server rewrites quantities in canonical form (0.5 as 500m, 1024Mi as 1Gi): compare values. */
        private static Map<String, String> amounts(Map<String, Quantity> quantities) {
            Map<String, String> amounts = new TreeMap<>();
            if (quantities != null) {
                quantities.forEach((name, quantity) -> amounts.put(name,
                        MaintenancePageReader.amount(quantity).stripTrailingZeros().toPlainString()));
            }
            return amounts;
        }
    }

    /**
     * The page server's JVM settings, from its memory limit. The image's entry point sizes the heap at 75% of the
     * limit (right for the operator), which leaves the page's JVM too little for its classes, code and connections:
     * here the heap is a quarter of the limit, compiled code C1 only, Netty's pools one arena each, and glibc's malloc
     * two arenas instead of eight per core. JAVA_TOOL_OPTIONS is read before the entry point's options, but an
     * explicit -Xmx takes precedence over any -XX:MaxRAMPercentage. BENCHMARKS.md (P8) has the resident memory these
     * give under load.
     */
    public static Map<String, String> jvmEnvironment(Quantity memoryLimit) {
        long limitMiB = MaintenancePageReader.amount(memoryLimit).longValue() / (1024 * 1024);
        return Map.of("JAVA_TOOL_OPTIONS", "-Xmx" + Math.max(16, limitMiB / 4) + "m -Xss256k -XX:+UseSerialGC"
                + " -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=96m"
                + " -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1",
                "MALLOC_ARENA_MAX", "2");
    }

    /**
     * @param defaultImage the operator's configured page image, used unless {@code spec.maintenancePage.image} is set
     * @param copiedPullSecrets the copies of the operator's pull Secrets (see {@link PagePullSecrets})
     */
    public static Deployment desired(ManagedUpgrade resource, int replicas, String defaultImage,
            List<String> copiedPullSecrets) {
        String name = PageNames.name(resource);
        ResolvedSpec.Page page = settings(resource);
        List<LocalObjectReference> pullSecrets = Stream.concat(page.imagePullSecrets().stream(),
                copiedPullSecrets.stream()).map(LocalObjectReference::new).toList();
        ObjectMeta metadata = PageNames.metadata(resource);
        Map<String, String> labels = new TreeMap<>(metadata.getLabels());
        // The operator's Deployment informer sees labelled Deployments only: the page's readiness must wake PageUp
        labels.put(Workloads.WATCHED_LABEL, "true");
        metadata.setLabels(labels);
        return new DeploymentBuilder().withMetadata(metadata)
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(PageNames.selector(resource)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(PageNames.selector(resource)).endMetadata()
                .withNewSpec().withServiceAccountName(name).withAutomountServiceAccountToken(true)
                .withImagePullSecrets(pullSecrets.isEmpty() ? null : pullSecrets)
                .withNodeSelector(page.nodeSelector().isEmpty() ? null : page.nodeSelector())
                .withTolerations(page.tolerations().isEmpty() ? null : page.tolerations())
                .withPriorityClassName(page.priorityClassName())
                .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault")
                .endSeccompProfile().endSecurityContext()
                .withContainers(new ContainerBuilder().withName("page")
                        .withImage(page.image() == null ? defaultImage : page.image())
                        .withArgs("maintenance-page")
                        .withEnv(new EnvVarBuilder().withName("SLIPWAY_PAGE_CONFIGMAP").withValue(name).build(),
                                new EnvVarBuilder().withName("SLIPWAY_PAGE_NAMESPACE").withNewValueFrom()
                                        .withNewFieldRef().withFieldPath("metadata.namespace").endFieldRef()
                                        .endValueFrom().build())
                        .addAllToEnv(new TreeMap<>(jvmEnvironment(page.resources().getLimits().get("memory"))).entrySet()
                                .stream().map(env -> new EnvVar(env.getKey(), env.getValue(), null)).toList())
                        .addNewPort().withName("http").withContainerPort(PageNames.PAGE_PORT).endPort()
                        .withNewReadinessProbe().withNewHttpGet().withPath("/status.json")
                        .withPort(new IntOrString(PageNames.PAGE_PORT)).endHttpGet().withPeriodSeconds(2).endReadinessProbe()
                        .withResources(page.resources())
                        .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                        .build())
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().endTemplate().endSpec().build();
    }
}
