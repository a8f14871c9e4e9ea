package dev.slipway.core.plan;

/** Why a version is a hop of the path. */
public enum HopReason {
    /** The last hop: the version the plan leads to. */
    Target,
    /** The hop lands in a minor line the vendor marked as a required stop. */
    RequiredStop,
    /** The next release's minUpgradeFrom demands an intermediate version. */
    MinUpgradeFrom
}
