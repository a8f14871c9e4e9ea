package dev.slipway.core.upgrade;

/** How an upgrade ended. */
public enum UpgradeResult {
    /** Every hop ran and traffic is back on the target version. */
    Succeeded,
    /** A first install ran: the empty database migrated to the target's schema and the application started. */
    Installed,
    /** A step failed before anything irreversible happened; the previous version runs again. */
    RolledBack,
    /** A step failed after a hop committed; the application stays behind the maintenance page. */
    Failed,
    /** An administrator gave up on a failed upgrade: traffic restored, the database left as it was. */
    Abandoned
}
