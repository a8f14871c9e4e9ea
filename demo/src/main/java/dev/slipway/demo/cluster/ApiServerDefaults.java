package dev.slipway.demo.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import java.util.List;
import java.util.stream.Stream;

/**
 * The defaults a real kube-apiserver writes into objects on create and update, which the fabric8 CRUD server leaves
 * out. The admission emulation of the test kit applies them on write; the controller emulation reads through them, so
 * it behaves the same on objects that were stored without them. Sources: Kubernetes {@code pkg/apis/apps/v1/defaults.go}
 * (Deployment, StatefulSet) and {@code pkg/apis/core/v1/defaults.go} (PodSpec, Container, Service).
 */
public final class ApiServerDefaults {

    public static final int DEFAULT_TERMINATION_GRACE_SECONDS = 30;
    public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
    public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;
    public static final String DEFAULT_MAX_SURGE = "25%";
    public static final String DEFAULT_MAX_UNAVAILABLE = "25%";

    private ApiServerDefaults() {
    }

    /** apps/v1 SetDefaults_Deployment: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, deadline 600 s. */
    public static Deployment apply(Deployment deployment) {
        DeploymentSpec spec = deployment.getSpec();
        if (spec == null) {
            return deployment;
        }
        if (spec.getReplicas() == null) {
            spec.setReplicas(1);
        }
        if (spec.getStrategy() == null) {
            spec.setStrategy(new DeploymentStrategy());
        }
        DeploymentStrategy strategy = spec.getStrategy();
        if (strategy.getType() == null) {
            strategy.setType("RollingUpdate");
        }
        if ("RollingUpdate".equals(strategy.getType())) {
            if (strategy.getRollingUpdate() == null) {
                strategy.setRollingUpdate(new RollingUpdateDeployment());
            }
            if (strategy.getRollingUpdate().getMaxUnavailable() == null) {
                strategy.getRollingUpdate().setMaxUnavailable(new IntOrString(DEFAULT_MAX_UNAVAILABLE));
            }
            if (strategy.getRollingUpdate().getMaxSurge() == null) {
                strategy.getRollingUpdate().setMaxSurge(new IntOrString(DEFAULT_MAX_SURGE));
            }
        }
        if (spec.getRevisionHistoryLimit() == null) {
            spec.setRevisionHistoryLimit(DEFAULT_REVISION_HISTORY_LIMIT);
        }
        if (spec.getProgressDeadlineSeconds() == null) {
            spec.setProgressDeadlineSeconds(DEFAULT_PROGRESS_DEADLINE_SECONDS);
        }
        apply(spec.getTemplate());
        return deployment;
    }

    /**
     * apps/v1 SetDefaults_StatefulSet: replicas 1, podManagementPolicy OrderedReady, updateStrategy RollingUpdate with
     * partition 0, revisionHistoryLimit 10, PVC retention Retain/Retain.
     */
    public static StatefulSet apply(StatefulSet set) {
        StatefulSetSpec spec = set.getSpec();
        if (spec == null) {
            return set;
        }
        if (spec.getReplicas() == null) {
            spec.setReplicas(1);
        }
        if (spec.getPodManagementPolicy() == null) {
            spec.setPodManagementPolicy("OrderedReady");
        }
        if (spec.getUpdateStrategy() == null) {
            spec.setUpdateStrategy(new StatefulSetUpdateStrategy());
        }
        StatefulSetUpdateStrategy strategy = spec.getUpdateStrategy();
        if (strategy.getType() == null) {
            strategy.setType("RollingUpdate");
        }
        if ("RollingUpdate".equals(strategy.getType())) {
            if (strategy.getRollingUpdate() == null) {
                strategy.setRollingUpdate(new RollingUpdateStatefulSetStrategy());
            }
            if (strategy.getRollingUpdate().getPartition() == null) {
                strategy.getRollingUpdate().setPartition(0);
            }
        }
        if (spec.getRevisionHistoryLimit() == null) {
            spec.setRevisionHistoryLimit(DEFAULT_REVISION_HISTORY_LIMIT);
        }
        if (spec.getPersistentVolumeClaimRetentionPolicy() == null) {
            spec.setPersistentVolumeClaimRetentionPolicy(new StatefulSetPersistentVolumeClaimRetentionPolicy("Retain", "Retain"));
        }
        apply(spec.getTemplate());
        return set;
    }

    public static PodTemplateSpec apply(PodTemplateSpec template) {
        if (template != null && template.getSpec() != null) {
            apply(template.getSpec());
        }
        return template;
    }

    /**
     * core/v1 SetDefaults_PodSpec and SetDefaults_Container: restartPolicy Always, dnsPolicy ClusterFirst,
     * terminationGracePeriodSeconds 30, schedulerName default-scheduler, an empty securityContext,
     * enableServiceLinks true; per container the termination message settings, imagePullPolicy by the tag rule and
     * TCP as the port protocol.
     */
    public static PodSpec apply(PodSpec spec) {
        if (spec.getRestartPolicy() == null) {
            spec.setRestartPolicy("Always");
        }
        if (spec.getDnsPolicy() == null) {
            spec.setDnsPolicy("ClusterFirst");
        }
        if (spec.getTerminationGracePeriodSeconds() == null) {
            spec.setTerminationGracePeriodSeconds((long) DEFAULT_TERMINATION_GRACE_SECONDS);
        }
        if (spec.getSchedulerName() == null) {
            spec.setSchedulerName("default-scheduler");
        }
        if (spec.getSecurityContext() == null) {
            spec.setSecurityContext(new PodSecurityContext());
        }
        if (spec.getEnableServiceLinks() == null) {
            spec.setEnableServiceLinks(true);
        }
        Stream.of(spec.getContainers(), spec.getInitContainers()).filter(list -> list != null)
                .flatMap(List::stream).forEach(ApiServerDefaults::apply);
        return spec;
    }

    private static void apply(Container container) {
        if (container.getTerminationMessagePath() == null) {
            container.setTerminationMessagePath("/dev/termination-log");
        }
        if (container.getTerminationMessagePolicy() == null) {
            container.setTerminationMessagePolicy("File");
        }
        if (container.getImagePullPolicy() == null && container.getImage() != null) {
            container.setImagePullPolicy(pullPolicyFor(container.getImage()));
        }
        if (container.getPorts() != null) {
            for (ContainerPort port : container.getPorts()) {
                if (port.getProtocol() == null) {
                    port.setProtocol("TCP");
                }
            }
        }
    }

    /**
     * SetDefaults_Container: Always for the tag {@code latest}, which is also the tag of an image named with neither
     * tag nor digest (docker reference parsing); IfNotPresent otherwise.
     */
    public static String pullPolicyFor(String image) {
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        boolean digest = lastPart.contains("@");
        String nameAndTag = digest ? lastPart.substring(0, lastPart.indexOf('@')) : lastPart;
        String tag = nameAndTag.contains(":") ? nameAndTag.substring(nameAndTag.indexOf(':') + 1) : (digest ? "" : "latest");
        return "latest".equals(tag) ? "Always" : "IfNotPresent";
    }

    /**
     * core/v1 SetDefaults_Service: type ClusterIP, sessionAffinity None, port protocol TCP, targetPort = port,
     * internalTrafficPolicy Cluster (for ClusterIP, NodePort and LoadBalancer Services).
     */
    public static Service apply(Service service) {
        var spec = service.getSpec();
        if (spec == null) {
            return service;
        }
        if (spec.getType() == null) {
            spec.setType("ClusterIP");
        }
        if (spec.getSessionAffinity() == null) {
            spec.setSessionAffinity("None");
        }
        if (spec.getPorts() != null) {
            for (ServicePort port : spec.getPorts()) {
                if (port.getProtocol() == null) {
                    port.setProtocol("TCP");
                }
                if (port.getTargetPort() == null || Integer.valueOf(0).equals(port.getTargetPort().getIntVal())
                        && port.getTargetPort().getStrVal() == null) {
                    port.setTargetPort(new IntOrString(port.getPort()));
                }
            }
        }
        if (!"ExternalName".equals(spec.getType()) && spec.getInternalTrafficPolicy() == null) {
            spec.setInternalTrafficPolicy("Cluster");
        }
        return service;
    }
}
