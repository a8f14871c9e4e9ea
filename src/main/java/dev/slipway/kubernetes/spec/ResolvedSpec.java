package dev.slipway.kubernetes.spec;

import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.core.image.ImageMatcher;
import dev.slipway.core.plan.UpgradePolicy;
import dev.slipway.core.window.ParsedMaintenance;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.semver4j.Semver;

/**
 * The parts of a ManagedUpgrade's spec that the reconciler acts on, validated and typed. Built by
 * {@link SpecReader}; holding one means the spec passed validation.
 *
 * @param installedVersion the admin's statement of the installed version, or null
 * @param images how running images are matched to release images (spec.application.imageRewrite)
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
        List<ComponentSpec> components,
        String ingressName,
        ImageMatcher images,
        ParsedMaintenance maintenance) {
}
