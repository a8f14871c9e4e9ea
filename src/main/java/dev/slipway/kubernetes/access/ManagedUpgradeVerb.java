package dev.slipway.kubernetes.access;

/**
 * What a console user may do to a ManagedUpgrade, each checked as its own verb on {@code managedupgrades} (custom
 * verbs: an admin can grant "may approve" without granting {@code patch} on the whole resource).
 */
public enum ManagedUpgradeVerb {
    /** See the resource: its versions, plan, windows, verification and history. */
    GET("get"),
    /** Choose a target version and approve the planned one. */
    APPROVE("approve"),
    /** Start the pending upgrade now, outside the maintenance window. */
    START("start"),
    /** Pause and resume. */
    PAUSE("pause"),
    /** Retry a failed upgrade from the step that failed. */
    RETRY("retry"),
    /** Abandon a failed upgrade. */
    ABANDON("abandon");

    private final String verb;

    ManagedUpgradeVerb(String verb) {
        this.verb = verb;
    }

    /** The verb as RBAC rules and SubjectAccessReviews spell it. */
    public String verb() {
        return verb;
    }
}
