package dev.slipway.core.window;

/** Why an upgrade may or may not start now; constants are spelled as they appear in {@code status.maintenance.reason}. */
public enum WindowReason {
    /** Inside a window with at least {@code minimumRemaining} left. */
    InWindow,
    /** Between windows. */
    OutsideWindow,
    /** An exclusion that blocks this upgrade's scope covers the instant. */
    Excluded,
    /** Inside a window, but less than {@code minimumRemaining} of it is left. */
    InsufficientRemainingWindow,
    /** No window in the next 400 days is long enough for {@code minimumRemaining}; waiting would be silent forever. */
    NoFutureWindow,
    /** No {@code maintenance} configured: upgrades may start at any time. */
    NotConfigured
}
