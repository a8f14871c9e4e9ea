package dev.slipway.database;

import dev.slipway.core.migration.MigrationEntry;
import java.util.Locale;

/**
 * A database operation failed. The message is one line that says what and why, and is safe to show anywhere: no SQL
 * text, no password, no stack trace; the cause keeps the driver's full detail for debugging.
 */
public class DatabaseException extends RuntimeException {

    /** What kind of failure; {@link #code()} is its stable kebab-case name for JSON output and conditions. */
    public enum Kind {
        CONNECTION_FAILED, MIGRATION_FAILED, LOCK_TIMEOUT, INVALID_HISTORY, TARGET_NOT_FOUND, INVALID_MIGRATIONS,
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

    public String code() {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The migration that failed, for {@link Kind#MIGRATION_FAILED}; null otherwise. */
    public MigrationEntry migration() {
        return migration;
    }
}
