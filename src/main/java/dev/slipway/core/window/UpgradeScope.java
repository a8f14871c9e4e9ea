package dev.slipway.core.window;

/** How big the upgrade waiting for a window is; exclusions may block some sizes and let others through. */
public enum UpgradeScope {
    PATCH, MINOR, MAJOR
}
