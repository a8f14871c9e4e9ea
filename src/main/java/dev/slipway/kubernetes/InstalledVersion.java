package dev.slipway.kubernetes;

import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.core.image.ImageMatcher;
import dev.slipway.kubernetes.workload.Workloads;
import dev.slipway.releaseapi.Release;
import dev.slipway.releaseapi.ReleaseCatalog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.semver4j.Semver;

/**
 * Tells which version is installed: from the images the components run, else from what the admin stated. Images are
 * matched the way admission may have rewritten them (digest pinning, a registry mirror), so an upgrade that already
 * happened is recognised as such and never started again.
 */
final class InstalledVersion {

    /**
     * The discovered version and how it was found, or why none was.
     *
     * @param workloadsExist every component's workload exists (a first install sets images on them)
     * @param fromImages     the running images are those of {@code version}
     * @param scaledToZero   every component's workload declares 0 replicas
     */
    record Discovery(Semver version, String source, String problem, boolean workloadsExist, boolean fromImages,
            boolean scaledToZero) {
    }

    private InstalledVersion() {
    }

    /** @param states each component's workload state, from the API server or a cache */
    static Discovery discover(List<ComponentSpec> components, ImageMatcher images, ReleaseCatalog catalog,
            Semver stated, Function<ComponentSpec, Optional<Workloads.WorkloadState>> states) {
        Map<String, String> running = new HashMap<>();
        boolean scaledToZero = true;
        for (ComponentSpec component : components) {
            Optional<Workloads.WorkloadState> state = states.apply(component);
            if (state.isEmpty()) {
                if (stated != null) {
                    return new Discovery(stated, "spec.application.installedVersion", null, false, false, false);
                }
                return new Discovery(null, null, component.getWorkload().getKind() + " '"
                        + component.getWorkload().getName() + "' of component " + component.getName() + " does not exist",
                        false, false, false);
            }
            running.put(component.getName(), state.get().image());
            scaledToZero &= state.get().desiredReplicas() == 0;
        }
        if (catalog != null) {
            List<Release> releases = catalog.releases();
            for (int i = releases.size() - 1; i >= 0; i--) {
                Release release = releases.get(i);
                if (!release.images().isEmpty() && components.stream()
                        .allMatch(c -> images.matches(running.get(c.getName()), release.images().get(c.getName())))) {
                    return new Discovery(release.version(), "running images", null, true, true, scaledToZero);
                }
            }
        }
        if (stated != null) {
            return new Discovery(stated, "spec.application.installedVersion", null, true, false, scaledToZero);
        }
        return new Discovery(null, null, "the running images match no release in the feed and "
                + "spec.application.installedVersion is not set", true, false, scaledToZero);
    }
}
