package dev.slipway.database;

import dev.slipway.core.migration.MigrationEntry;
import java.util.Locale;

/**
 * A database operation failed. The message is one line that says what and why, and is safe to show anywhere: no SQL
 * text, no password, no stack trace; the cause keeps the driver's full detail for debugging.
 */
public class DatabaseException extends RuntimeException {

    /** What kind of failure; {@link #code()} is its stable name for JSON output, conditions and Events. */
    public enum Kind {
        /** Refused, unreachable, wrong credentials, unknown database, or the session was cut. */
        CONNECTION_FAILED,
        /** A migration failed; its run was rolled back. */
        MIGRATION_FAILED,
        /** Another migrator (or a session holding table locks) kept the lock past the timeout. */
        LOCK_TIMEOUT,
        /** Failed, changed or unknown migrations in the history: Flyway would refuse to migrate. */
        INVALID_HISTORY,
        /** The requested target schema version has no migration file. */
        TARGET_NOT_FOUND,
        /** The migration directory does not exist. */
        INVALID_MIGRATIONS,
        /** A catalog query failed for another reason (permissions, for instance). */
        QUERY_FAILED
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

    /** The kind in the CLI's error-code style: {@code LOCK_TIMEOUT} is {@code LockTimeout}. */
    public String code() {
        StringBuilder code = new StringBuilder();
        for (String word : kind.name().split("_")) {
            code.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return code.toString();
    }

    /** The migration that failed, for {@link Kind#MIGRATION_FAILED}; null otherwise. */
    public MigrationEntry migration() {
        return migration;
    }
}
