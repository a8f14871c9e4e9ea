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
    Abandoned,
    /**
     * An administrator restored the database from a backup after traffic had returned (spec.actions.restore): the
     * images run the backup's version again; writes made since are kept only in the replaced database.
     */
    Restored
}
