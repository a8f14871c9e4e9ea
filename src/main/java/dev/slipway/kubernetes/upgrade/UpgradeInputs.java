package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.spec.DatabaseSpec;
import dev.slipway.kubernetes.spec.ResolvedSpec;
import dev.slipway.releaseapi.FeedSource;
import dev.slipway.releaseapi.ReleaseCatalog;

/**
 * What the executor needs from the reconciler's pass: the validated spec, the feed, and whether the maintenance
 * window asks running upgrades to pause.
 *
 * @param pauseForWindow true when {@code onWindowEnd: Pause} and the window has closed
 */
public record UpgradeInputs(ResolvedSpec spec, DatabaseSpec database, FeedSource source, ReleaseCatalog catalog,
        boolean pauseForWindow, java.time.Duration untilWindowReopens) {
}
