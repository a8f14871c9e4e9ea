package dev.slipway.core.plan;

import dev.slipway.releaseapi.Release;

/** One hop of an upgrade path. */
public record Hop(Release release, HopReason reason) {

    public String version() {
        return release.version().toString();
    }

    public String schemaVersion() {
        return release.schemaVersion();
    }
}
