package dev.slipway.database;

import dev.slipway.core.migration.MigrationStatus;
import dev.slipway.core.migration.VerificationReport;
import dev.slipway.core.schema.DriftAnalyzer;
import dev.slipway.core.schema.SchemaSnapshot;
import java.nio.file.Path;

/**
 * VerifyDatabase: is this database what the installed version expects? Reads only, so it works over the read-only
 * connection an admin gives Slipway: Flyway's history against the version's migration files, and the live schema
 * against the version's snapshot (in the snapshot's schemas).
 */
public final class DatabaseVerifier {

    private DatabaseVerifier() {
    }

    /**
     * @throws DatabaseException when the database cannot be reached or read, or the migration directory is unusable
     */
    public static VerificationReport verify(DbConnection database, Path migrationsDirectory, SchemaSnapshot expected) {
        return verify(database, migrationsDirectory, expected, java.util.List.of());
    }

    /** As {@link #verify(DbConnection, Path, SchemaSnapshot)}, with Flyway managing {@code flywaySchemas}. */
    public static VerificationReport verify(DbConnection database, Path migrationsDirectory, SchemaSnapshot expected,
            java.util.List<String> flywaySchemas) {
        MigrationStatus migrations = new FlywayMigrator(database, migrationsDirectory).inSchemas(flywaySchemas).info();
        SchemaSnapshot actual = PgSchemaReader.read(database, expected.schemas());
        return new VerificationReport(migrations, DriftAnalyzer.compare(expected, actual));
    }
}
