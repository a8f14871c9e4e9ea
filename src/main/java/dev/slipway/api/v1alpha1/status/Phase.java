package dev.slipway.api.v1alpha1.status;

/** The PHASE column: one word for where a managed application stands. */
public enum Phase {
    /** The spec cannot be acted on; the InvalidSpec condition names the field. */
    Invalid,
    /** Nothing known yet: the feed has not answered or the installed version cannot be told. */
    Unknown,
    /** Running the newest release the policy allows. */
    UpToDate,
    /** A newer release is planned and may start. */
    UpdateAvailable,
    /** A newer release is planned but no path or pin allows it; the UpdateAvailable condition says why. */
    Blocked,
    /** Manual approval: waiting for spec.policy.approvedVersion to name the target. */
    WaitingForApproval,
    /** Approved, waiting for a maintenance window in which it may start. */
    WaitingForWindow,
    /** An upgrade is running. */
    Upgrading,
    /** An upgrade is paused between steps. */
    Paused,
    /** An upgrade failed after committing a migration; the application stays behind the maintenance page. */
    Failed
}
