package dev.slipway.core.upgrade;

/**
 * The steps of one managed upgrade, in order. Every step is idempotent, and the step in progress is checkpointed in
 * the resource's status before it starts, so an operator that crashes anywhere resumes by running that step again.
 *
 * <pre>
 * Preflight → PageUp → SwapTraffic → Quiesce → [spec.database.backup: Backup]
 *   → for each hop i: Migrate(i) → RollImages(i) → [not the last hop: StartStop(i) → QuiesceStop(i)]
 *   → Resume → RestoreTraffic → Record
 * A failure before any migration committed (and before any image changed): RollBack → Record (RolledBack).
 * A failure after: the application stays behind the maintenance page (Failed) until an admin retries or abandons,
 * unless spec.database.backup.restoreOnFailure holds a verified backup and the failed step is a Migrate (the
 * application is quiesced and the page has stayed up since the backup): Restore → RollBack → Record (RolledBack).
 * </pre>
 */
public enum UpgradeStep {
    /** Nothing changes: bundles downloaded and checked, database reachable and verified, workloads and Ingress exist. */
    Preflight,
    /** The maintenance page's ConfigMap, Deployment and Service exist, and the page is Ready. */
    PageUp,
    /** Every Ingress backend points at the page; the original spec is saved on the Ingress and in status. */
    SwapTraffic,
    /** Each component's replicas and image recorded, then scaled to zero until no replica remains. */
    Quiesce,
    /**
     * Only with {@code spec.database.backup} and a plan that migrates: a copy of the quiesced database taken and
     * verified before the first migration; its name is checkpointed before it is created, so a crash never takes two.
     */
    Backup,
    /** The hop's migrations applied by Flyway, all or nothing, under its advisory lock. */
    Migrate,
    /** Each component's container image set to the hop's. */
    RollImages,
    /** A required stop: the application runs at this version and must become Ready and healthy. */
    StartStop,
    /** After a required stop, scaled to zero again before the next hop. */
    QuiesceStop,
    /** Replicas restored with the final images; rollout and health check awaited. */
    Resume,
    /** The Ingress put back byte for byte as saved; the page scaled to zero. */
    RestoreTraffic,
    /** History, current version, metrics and Events written; the checkpoint cleared. */
    Record,
    /** Undo of an upgrade that failed before it changed the database: images, replicas, Ingress and page restored. */
    RollBack,
    /**
     * After a hop committed and a later migration failed, with {@code restoreOnFailure}: the backup renamed into the
     * database's place (the failed database kept under a checkpointed name), then RollBack.
     */
    Restore;

    /** Whether the step runs once per hop, so that a step record names its hop too. */
    public boolean perHop() {
        return this == Migrate || this == RollImages || this == StartStop || this == QuiesceStop;
    }
}
