package dev.slipway.api.v1alpha1.spec;

/** How the database is backed up before an upgrade's first migration ({@code spec.database.backup.method}). */
public enum BackupMethod {
    /** No backup: PostgreSQL's transactions are the only protection (each migration is all or nothing). */
    None,
    /**
     * {@code CREATE DATABASE <db>_slipway_<from>_<time> TEMPLATE <db>} on the same server while the application is
     * quiesced, with the database-level grants and settings the copy does not take re-applied, then verified.
     */
    TemplateClone,
    /**
     * A Kubernetes Job running {@code pg_dump -Fc} into a file on a PersistentVolumeClaim
     * ({@code spec.database.backup.pgDump}), waited on; its summary goes to status.
     */
    PgDump,
    /**
     * A {@code postgresql.cnpg.io/v1} {@code Backup} of the CloudNativePG {@code Cluster} holding the database
     * ({@code spec.database.backup.cloudNativePG}), waited on until its phase is {@code completed}.
     */
    CloudNativePG
}
