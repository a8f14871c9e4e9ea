package dev.slipway.core.plan;

/** Why no plan could be made; also the CLI's error codes. */
public enum PlanErrorCode {
    NoPath, PinnedVersionUnavailable, DowngradeNotSupported, InvalidVersion, InvalidFeed
}
