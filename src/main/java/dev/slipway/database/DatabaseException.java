package dev.slipway.database;

import dev.slipway.core.migration.MigrationEntry;

/**
 * A database operation failed. The message is one line that says what and why, and is safe to show anywhere: no SQL
 * text, no password, no stack trace; the cause keeps the driver's full detail for debugging.
 */
public class DatabaseException extends RuntimeException {

    /** What kind of failure; its name is the stable code for JSON output, conditions and Events. */
    public enum Kind {
        /** Refused, unreachable, wrong credentials, unknown database, or the session was cut. */
        ConnectionFailed,
        /** A migration failed; its run was rolled back. */
        MigrationFailed,
        /** Another migrator (or a session holding table locks) kept the lock past the timeout. */
        LockTimeout,
        /** Failed, changed or unknown migrations in the history: Flyway would refuse to migrate. */
        InvalidHistory,
        /** The requested target schema version has no migration file. */
        TargetNotFound,
        /** The migration files are unusable (no directory, not a zip, unsafe paths). */
        InvalidMigrations,
        /** A catalog query failed for another reason (permissions, for instance). */
        QueryFailed
    }

    private final Kind kind;
    private final MigrationEntry migration;

    public DatabaseException(Kind kind, String message, Throwable cause) {
        this(kind, message, null, cause);
    }

    public DatabaseException(Kind kind, String message, MigrationEntry migration, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.migration = migration;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return kind.name();
    }

    /** The migration that failed, for {@link Kind#MigrationFailed}; null otherwise. */
    public MigrationEntry migration() {
        return migration;
    }
}
