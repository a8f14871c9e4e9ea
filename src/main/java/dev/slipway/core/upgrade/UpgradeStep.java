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
 *
 * A hop whose release declares backward-compatible migrations ({@link HopMode#Rolling}) runs without page or quiesce:
 *   Expand(i) → RollOut(i) → Soak(i) → Contract(i)
 * A path mixing both kinds brings the page up only around its {@link HopMode#Page} hops (see UpgradeSequence.next).
 *
 * Two other runs use the same steps and checkpoints, with sequences of their own:
 *   a first install ({@link FirstInstall}): Preflight → Migrate(each hop) → RollImages → Resume → Record (Installed);
 *   a restore asked for after traffic returned ({@link ExplicitRestore}): PageUp → SwapTraffic → Quiesce → Restore
 *   → RollImages → Resume → RestoreTraffic → Record (Restored).
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
    /**
     * Undo of an upgrade that failed before it changed the database, or after a schema change the previous release
     * runs on ({@link ImageRollback}): images, replicas, Ingress and page restored.
     */
    RollBack,
    /**
     * After a hop committed and a later migration failed, with {@code restoreOnFailure}: the backup renamed into the
     * database's place (the failed database kept under a checkpointed name), then RollBack.
     */
    Restore,
    /**
     * A rolling hop's expand phase: the bundle's migrations up to the release's expand schema version, applied while
     * the previous release serves; then the phase's minAppVersion recorded in the database's schema floor.
     */
    Expand,
    /**
     * A rolling hop's images set on each component in turn, by the workload's own rollout strategy; readiness and the
     * health check gate each component before the next.
     */
    RollOut,
    /** After a rolling hop's rollout: {@code healthCheck.soak} of serving traffic, the health check still passing. */
    Soak,
    /**
     * A rolling hop's contract phase: the rest of the bundle, up to the release's schema version, applied once the
     * new version runs everywhere and passed its soak; then the contract minAppVersion recorded as the floor.
     */
    Contract;

    /** Whether the step runs once per hop, so that a step record names its hop too. */
    public boolean perHop() {
        return this == Migrate || this == RollImages || this == StartStop || this == QuiesceStop || this == Expand
                || this == RollOut || this == Soak || this == Contract;
    }

    /** Whether the step belongs to a rolling (zero-downtime) hop. */
    public boolean rolling() {
        return this == Expand || this == RollOut || this == Soak || this == Contract;
    }
}
