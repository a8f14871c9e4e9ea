package dev.slipway.kubernetes.spec;

import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.spec.MaintenancePageServiceType;
import dev.slipway.core.image.ImageMatcher;
import dev.slipway.core.plan.UpgradePolicy;
import dev.slipway.core.window.ParsedMaintenance;
import java.net.URI;
import java.time.Duration;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import org.semver4j.Semver;

/**
 * The parts of a ManagedUpgrade's spec that the reconciler acts on, validated and typed. Built by
 * {@link SpecReader}; holding one means the spec passed validation.
 *
 * @param installedVersion the admin's statement of the installed version, or null
 * @param notInstalled the admin stated {@code installedVersion: none}: the application has never been installed
 * @param images how running images are matched to release images (spec.application.imageRewrite)
 * @param quiesce what "nothing runs" means for this application
 * @param pageTraffic how traffic is checked onto the page and drained off it
 * @param page how the maintenance page runs (spec.maintenancePage, defaults applied)
 */
public record ResolvedSpec(
        URI feedUrl,
        String product,
        Duration pollInterval,
        UpgradePolicy policy,
        boolean manualApproval,
        Semver approvedVersion,
        boolean paused,
        Semver installedVersion,
        boolean notInstalled,
        List<ComponentSpec> components,
        String ingressName,
        ImageMatcher images,
        ParsedMaintenance maintenance,
        Quiesce quiesce,
        PageTraffic pageTraffic,
        Page page) {

    /**
     * @param applicationRoles database roles whose sessions must be gone before a migration (empty: not checked)
     * @param sessionDrainTimeout how long sessions may outlive the Pods
     * @param terminateSessions end stragglers after the timeout (true) or fail the upgrade (false)
     * @param allowAutoscalers whether an HPA targeting a component is accepted
     */
    public record Quiesce(List<String> applicationRoles, Duration sessionDrainTimeout, boolean terminateSessions,
            boolean allowAutoscalers) {
    }

    /**
     * @param verifyUrl         where the page must be seen after the swap before anything stops, or null for no check
     * @param verifyTimeout     how long to wait for it there
     * @param drainAfterRestore how long the page outlives the restored Ingress
     */
    public record PageTraffic(URI verifyUrl, Duration verifyTimeout, Duration drainAfterRestore) {
    }

    /**
     * @param image the page's image, or null for the operator's configured one
     * @param imagePullSecrets Secrets in the application's namespace named by the spec
     * @param resources the page container's requests and limits, defaults merged per key
     */
    public record Page(String image, List<String> imagePullSecrets, ResourceRequirements resources,
            Map<String, String> nodeSelector, List<Toleration> tolerations, String priorityClassName, int replicas,
            MaintenancePageServiceType serviceType) {
    }
}
