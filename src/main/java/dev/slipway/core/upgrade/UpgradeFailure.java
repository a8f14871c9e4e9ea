package dev.slipway.core.upgrade;

/** Why an upgrade step failed: a stable reason for conditions, Events, metrics and history. */
public enum UpgradeFailure {
    /** A migration bundle or snapshot could not be downloaded, failed its sha256 check, or is unsafe. */
    BundleUnavailable,
    /** The database could not be reached with the admin Secret. */
    DatabaseUnreachable,
    /** Flyway history is not clean for the installed version (failed migration, checksum mismatch, unknown). */
    DatabaseNotVerified,
    /** A first install found objects (or a Flyway history) in the database it was to install into. */
    DatabaseNotEmpty,
    /** Schema drift that a migration would trip over. */
    BlockingDrift,
    /** A component's workload does not exist (any more). */
    WorkloadMissing,
    /** A component names a container its workload does not have. */
    ContainerMissing,
    /** The Ingress does not exist (any more), or has no backend. */
    IngressMissing,
    /** The maintenance page did not become Ready in time. */
    PageNotReady,
    /**
     * After the swap, {@code spec.maintenancePage.verifyUrl} did not return this resource's maintenance page within
     * {@code verifyTimeout}: the ingress controller or load balancer did not take the change. Nothing was stopped.
     */
    PageNotPropagated,
    /** Replicas did not go away in time. */
    QuiesceTimeout,
    /**
     * A workload cannot be held at zero replicas: a paused Deployment, a StatefulSet partition, an autoscaler, or a
     * GitOps tool that would scale it back up. Found in preflight, before anything changed.
     */
    QuiesceBlocked,
    /** Sessions of the application's database roles outlived the drain timeout, and terminating them is off. */
    SessionsStillOpen,
    /** Something scaled a quiesced workload back up (or its Pods run again) before a migration. */
    QuiesceViolated,
    /**
     * {@code spec.database.backup} asks for a backup the admin role may not take (TemplateClone: no CREATEDB, or
     * neither superuser nor the database's owner). Found in preflight, before the page went up.
     */
    BackupNotPermitted,
    /**
     * The backup (database size ÷ the configured copy rate) and the migrations' estimate would end after the
     * maintenance window the upgrade started in. Found in preflight, before the page went up.
     */
    BackupWouldOverrunWindow,
    /** The backup could not be taken (another session on the database, no space, a permission); nothing migrated. */
    BackupFailed,
    /** The backup, read back, differs from the database (schema, row counts, grants or settings); nothing migrated. */
    BackupUnverified,
    /** A migration failed; PostgreSQL rolled its transaction back. */
    MigrationFailed,
    /** Another migrator held the database's lock for too long. */
    MigrationLockTimeout,
    /** The new version did not become Ready in time. */
    RolloutTimeout,
    /** The Deployment controller gave up on the rollout (Progressing=False, ProgressDeadlineExceeded). */
    RolloutFailed,
    /** The health check did not answer 2xx in time. */
    HealthCheckFailed,
    /**
     * The database's schema floor ({@code slipway_schema_floor}: the newest applied phase's minAppVersion) is newer
     * than the version about to start, so it was not started: old images never run on a schema that forbids them.
     */
    SchemaFloorForbids,
    /** The release lacks an image for a component. */
    ImageMissing,
    /**
     * The Kubernetes API server refused a write of the step (an admission webhook, a quota, an invalid object, a server
     * error after the client's retries); the message names the object, the verb and what the server said.
     */
    ApiRejected
}
