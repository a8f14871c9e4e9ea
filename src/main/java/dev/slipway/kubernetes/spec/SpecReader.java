package dev.slipway.kubernetes.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.spec.AllowedChange;
import dev.slipway.api.v1alpha1.spec.ApplicationSpec;
import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.spec.DatabaseSpec;
import dev.slipway.api.v1alpha1.spec.ImageRewriteSpec;
import dev.slipway.api.v1alpha1.spec.ManagedUpgradeSpec;
import dev.slipway.api.v1alpha1.spec.MaintenancePageSpec;
import dev.slipway.api.v1alpha1.spec.PolicySpec;
import dev.slipway.api.v1alpha1.spec.ReleaseSourceSpec;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.core.KubeDuration;
import dev.slipway.core.image.ImageMatcher;
import dev.slipway.core.plan.UpgradePolicy;
import dev.slipway.core.upgrade.FirstInstall;
import dev.slipway.core.window.MaintenanceSpecParser;
import dev.slipway.core.window.ParsedMaintenance;
import dev.slipway.core.window.UpgradeScope;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.semver4j.Semver;

/**
 * Validates a spec beyond what the CRD schema can express and applies defaults. Every rejection names the field
 * by its path under {@code spec} and says why.
 */
public final class SpecReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(5);
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(15);
    static final Duration DEFAULT_SESSION_DRAIN_TIMEOUT = Duration.ofMinutes(2);
    static final Duration DEFAULT_VERIFY_TIMEOUT = Duration.ofMinutes(2);
    static final Duration DEFAULT_DRAIN_AFTER_RESTORE = Duration.ofSeconds(30);

    private SpecReader() {
    }

    public static ResolvedSpec read(ManagedUpgradeSpec spec) {
        if (spec == null) {
            throw new InvalidSpecException("spec", "required");
        }
        String product = required(spec.getProduct(), "spec.product");
        ReleaseSourceSpec source = requiredObject(spec.getReleaseSource(), "spec.releaseSource");
        URI url = feedUrl(required(source.getUrl(), "spec.releaseSource.url"));
        Duration pollInterval = source.getPollInterval() == null ? DEFAULT_POLL_INTERVAL
                : KubeDuration.parse(source.getPollInterval(), "spec.releaseSource.pollInterval");
        if (pollInterval.compareTo(MIN_POLL_INTERVAL) < 0) {
            throw new InvalidSpecException("spec.releaseSource.pollInterval", "must be at least 5s");
        }
        String channel = source.getChannel() == null || source.getChannel().isBlank() ? "stable" : source.getChannel();

        PolicySpec policy = spec.getPolicy() == null ? new PolicySpec() : spec.getPolicy();
        UpgradeScope allow = switch (policy.getAllow() == null ? AllowedChange.Minor : policy.getAllow()) {
            case Patch -> UpgradeScope.PATCH;
            case Minor -> UpgradeScope.MINOR;
            case Major -> UpgradeScope.MAJOR;
        };
        Semver pinned = version(policy.getVersion(), "spec.policy.version");
        Duration minAge = policy.getMinReleaseAge() == null ? Duration.ZERO
                : KubeDuration.parse(policy.getMinReleaseAge(), "spec.policy.minReleaseAge");
        Semver approved = version(policy.getApprovedVersion(), "spec.policy.approvedVersion");

        ApplicationSpec application = requiredObject(spec.getApplication(), "spec.application");
        boolean notInstalled = FirstInstall.NOT_INSTALLED.equals(application.getInstalledVersion());
        Semver installed = notInstalled ? null
                : installedVersion(application.getInstalledVersion(), "spec.application.installedVersion");
        List<ComponentSpec> components = components(application.getComponents());
        if (application.getIngress() == null) {
            throw new InvalidSpecException("spec.application.ingress", "required: the Ingress that routes users to the application");
        }
        String ingress = required(application.getIngress().getName(), "spec.application.ingress.name");

        ParsedMaintenance maintenance = MaintenanceSpecParser.parse(
                spec.getMaintenance() == null ? null : JSON.valueToTree(spec.getMaintenance()), "spec.maintenance");
        return new ResolvedSpec(url, product, pollInterval, new UpgradePolicy(channel, allow, pinned, minAge),
                policy.getApproval() == Approval.Manual, approved, Boolean.TRUE.equals(policy.getPaused()),
                installed, notInstalled, components, ingress, imageMatcher(application.getImageRewrite()), maintenance,
                quiesce(spec.getDatabase(), application), pageTraffic(spec.getMaintenancePage()),
                MaintenancePageReader.read(spec.getMaintenancePage()));
    }

    private static ResolvedSpec.PageTraffic pageTraffic(MaintenancePageSpec page) {
        if (page == null) {
            return new ResolvedSpec.PageTraffic(null, DEFAULT_VERIFY_TIMEOUT, DEFAULT_DRAIN_AFTER_RESTORE);
        }
        URI verifyUrl = page.getVerifyUrl() == null ? null : verifyUrl(page.getVerifyUrl());
        Duration verifyTimeout = page.getVerifyTimeout() == null ? DEFAULT_VERIFY_TIMEOUT
                : KubeDuration.parse(page.getVerifyTimeout(), "spec.maintenancePage.verifyTimeout");
        Duration drain = page.getDrainAfterRestore() == null ? DEFAULT_DRAIN_AFTER_RESTORE
                : KubeDuration.parse(page.getDrainAfterRestore(), "spec.maintenancePage.drainAfterRestore");
        return new ResolvedSpec.PageTraffic(verifyUrl, verifyTimeout, drain);
    }

    private static URI verifyUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!Set.of("http", "https").contains(scheme) || uri.getHost() == null || uri.getHost().isBlank()) {
                throw new InvalidSpecException("spec.maintenancePage.verifyUrl", "must be an http or https URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidSpecException("spec.maintenancePage.verifyUrl", "is not a valid URL (" + e.getReason() + ")");
        }
    }

    /** How running images are matched to release images, from {@code spec.application.imageRewrite}. */
    public static ImageMatcher imageMatcher(List<ImageRewriteSpec> rewrites) {
        if (rewrites == null) {
            return ImageMatcher.exact();
        }
        List<ImageMatcher.Rewrite> checked = new java.util.ArrayList<>();
        for (int i = 0; i < rewrites.size(); i++) {
            String at = "spec.application.imageRewrite[" + i + "]";
            ImageRewriteSpec rewrite = requiredObject(rewrites.get(i), at);
            String to = required(rewrite.getTo(), at + ".to");
            String from = rewrite.getFrom() == null ? "" : rewrite.getFrom();
            if (to.equals(from)) {
                throw new InvalidSpecException(at + ".to", "must differ from " + at + ".from");
            }
            checked.add(new ImageMatcher.Rewrite(from, to));
        }
        return new ImageMatcher(checked);
    }

    private static ResolvedSpec.Quiesce quiesce(DatabaseSpec database, ApplicationSpec application) {
        List<String> roles = List.of();
        Duration drainTimeout = DEFAULT_SESSION_DRAIN_TIMEOUT;
        boolean terminate = true;
        if (database != null) {
            if (database.getApplicationRoles() != null) {
                for (int i = 0; i < database.getApplicationRoles().size(); i++) {
                    required(database.getApplicationRoles().get(i), "spec.database.applicationRoles[" + i + "]");
                }
                roles = List.copyOf(database.getApplicationRoles());
            }
            if (database.getSessionDrainTimeout() != null) {
                drainTimeout = KubeDuration.parse(database.getSessionDrainTimeout(), "spec.database.sessionDrainTimeout");
            }
            terminate = !Boolean.FALSE.equals(database.getTerminateSessions());
        }
        return new ResolvedSpec.Quiesce(roles, drainTimeout, terminate,
                Boolean.TRUE.equals(application.getAllowAutoscalers()));
    }

    private static List<ComponentSpec> components(List<ComponentSpec> components) {
        if (components == null || components.isEmpty()) {
            throw new InvalidSpecException("spec.application.components", "at least one component is required");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < components.size(); i++) {
            String at = "spec.application.components[" + i + "]";
            ComponentSpec component = requiredObject(components.get(i), at);
            String name = required(component.getName(), at + ".name");
            if (!names.add(name)) {
                throw new InvalidSpecException(at + ".name", "duplicate component name '" + name + "'");
            }
            if (component.getWorkload() == null) {
                throw new InvalidSpecException(at + ".workload", "required: the Deployment or StatefulSet that runs it");
            }
            required(component.getWorkload().getName(), at + ".workload.name");
            if (component.getReplicas() != null && component.getReplicas() < 0) {
                throw new InvalidSpecException(at + ".replicas", "must be 0 or more, not " + component.getReplicas());
            }
        }
        return List.copyOf(components);
    }

    private static URI feedUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!Set.of("http", "https", "file").contains(scheme)) {
                throw new InvalidSpecException("spec.releaseSource.url", "must be an http, https or file URL");
            }
            if (!scheme.equals("file") && (uri.getHost() == null || uri.getHost().isBlank())) {
                throw new InvalidSpecException("spec.releaseSource.url", "must name a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidSpecException("spec.releaseSource.url", "is not a valid URL (" + e.getReason() + ")");
        }
    }

    private static Semver installedVersion(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Semver version = Semver.parse(text);
        if (version == null) {
            throw new InvalidSpecException(field, "'" + text + "' is neither a SemVer version such as 1.4.2 nor '"
                    + FirstInstall.NOT_INSTALLED + "' (never installed)");
        }
        return version;
    }

    static Semver version(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Semver version = Semver.parse(text);
        if (version == null) {
            throw new InvalidSpecException(field, "'" + text + "' is not a SemVer version such as 1.4.2");
        }
        return version;
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidSpecException(field, "required");
        }
        return value;
    }

    private static <T> T requiredObject(T value, String field) {
        if (value == null) {
            throw new InvalidSpecException(field, "required");
        }
        return value;
    }
}
