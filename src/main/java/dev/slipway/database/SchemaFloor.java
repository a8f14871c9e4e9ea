package dev.slipway.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The oldest application version the database's schema accepts, kept in the application's own database (table
 * {@value #TABLE} beside Flyway's history): after each expand or contract phase Slipway appends the release's
 * declared {@code minAppVersion}, and before it starts or rolls back to a version it reads the newest row, so an
 * old image never starts on a schema that forbids it, whichever operator process (or status) remembers what.
 * The table has no index, sequence or constraint, so it adds nothing else to the schema that drift checks read.
 */
public final class SchemaFloor {

    public static final String TABLE = "slipway_schema_floor";

    /** One recorded phase. */
    public record Entry(String minAppVersion, String releaseVersion, String phase, String schemaVersion,
            Instant recordedAt) {
    }

    private final DbConnection database;
    private final String qualifiedTable;

    /**
     * @param schemas the schemas Flyway manages (the first holds its history, and the floor); empty means the
     *                connection's default schema
     */
    public SchemaFloor(DbConnection database, List<String> schemas) {
        this.database = database;
        this.qualifiedTable = schemas == null || schemas.isEmpty() ? quote(TABLE) : quote(schemas.get(0)) + "." + quote(TABLE);
    }

    /**
     * Appends the floor a phase set, unless the newest row already records this release's phase (a step that runs
     * again after a crash writes nothing twice).
     */
    public void record(Entry entry) {
        try (Connection connection = database.open()) {
            connection.setAutoCommit(false);
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (min_app_version text NOT NULL,"
                        + " release_version text NOT NULL, phase text NOT NULL, schema_version text,"
                        + " recorded_at timestamptz NOT NULL)");
                // One writer at a time, so the "already recorded" check and the insert see the same newest row.
                create.execute("LOCK TABLE " + qualifiedTable + " IN EXCLUSIVE MODE");
            }
            Optional<Entry> newest = newest(connection);
            if (newest.isEmpty() || !newest.get().releaseVersion().equals(entry.releaseVersion())
                    || !newest.get().phase().equals(entry.phase())) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + qualifiedTable
                        + " (min_app_version, release_version, phase, schema_version, recorded_at)"
                        + " VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, entry.minAppVersion());
                    insert.setString(2, entry.releaseVersion());
                    insert.setString(3, entry.phase());
                    insert.setString(4, entry.schemaVersion());
                    insert.setTimestamp(5, Timestamp.from(entry.recordedAt()));
                    insert.executeUpdate();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, database, "record the schema floor in");
        }
    }

    /** The newest recorded floor; empty when the database has none (no table, or no row). */
    public Optional<Entry> current() {
        try (Connection connection = database.open()) {
            try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                exists.setString(1, qualifiedTable);
                try (ResultSet row = exists.executeQuery()) {
                    row.next();
                    if (!row.getBoolean(1)) {
                        return Optional.empty();
                    }
                }
            }
            return newest(connection);
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, database, "read the schema floor of");
        }
    }

    private Optional<Entry> newest(Connection connection) throws SQLException {
        try (Statement select = connection.createStatement(); ResultSet row = select.executeQuery(
                "SELECT min_app_version, release_version, phase, schema_version, recorded_at FROM " + qualifiedTable
                        + " ORDER BY recorded_at DESC LIMIT 1")) {
            return row.next() ? Optional.of(new Entry(row.getString(1), row.getString(2), row.getString(3),
                    row.getString(4), row.getTimestamp(5).toInstant())) : Optional.empty();
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
