package dev.slipway.database;

import dev.slipway.core.migration.MigrationStatus;
import dev.slipway.core.migration.VerificationReport;
import dev.slipway.core.schema.DriftAnalyzer;
import dev.slipway.core.schema.SchemaSnapshot;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
        return verify(database, migrationsDirectory, expected, List.of());
    }

    /** Whether one of {@code schemas} holds a Flyway history table: its schema is managed by migrations. Reads only. */
    public static boolean hasFlywayHistory(DbConnection database, List<String> schemas) {
        try (Connection connection = database.open();
                PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_tables"
                        + " WHERE tablename = '" + PgSchemaReader.FLYWAY_HISTORY_TABLE + "' AND schemaname = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, database, "read the tables of");
        }
    }

    /** Those of {@code schemas} that do not exist in the database, in the order given. Reads only. */
    public static List<String> missingSchemas(DbConnection database, List<String> schemas) {
        try (Connection connection = database.open();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            Set<String> present = new HashSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    present.add(rows.getString(1));
                }
            }
            return schemas.stream().filter(schema -> !present.contains(schema)).toList();
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, database, "read the schemas of");
        }
    }

    /** As {@link #verify(DbConnection, Path, SchemaSnapshot)}, with Flyway managing {@code flywaySchemas}. */
    public static VerificationReport verify(DbConnection database, Path migrationsDirectory, SchemaSnapshot expected,
            List<String> flywaySchemas) {
        MigrationStatus migrations = new FlywayMigrator(database, migrationsDirectory).inSchemas(flywaySchemas).info();
        SchemaSnapshot actual = PgSchemaReader.read(database, expected.schemas());
        return new VerificationReport(migrations, DriftAnalyzer.compare(expected, actual));
    }
}
