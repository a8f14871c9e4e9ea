package dev.slipway.database;

import dev.slipway.core.upgrade.FirstInstall.DatabaseContents;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a database's managed schemas hold, read from {@code pg_catalog} for a first install: Flyway's history (and its
 * version), and how many application objects there are besides, with the first few names. Objects that belong to an
 * extension are not the application's and are left out, as are Flyway's history table and the schema floor.
 */
public final class DatabaseContentsReader {

    private static final String NOT_FROM_EXTENSION = " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
            + "'%s'::regclass AND d.objid = %s AND d.deptype = 'e')";
    private static final String OBJECTS = "WITH managed AS (SELECT oid, nspname FROM pg_namespace WHERE nspname = ANY(?)),"
            + " objects AS ("
            + "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name"
            + " FROM pg_class c JOIN managed n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relname NOT IN ('"
            + PgSchemaReader.FLYWAY_HISTORY_TABLE + "', '" + SchemaFloor.TABLE + "')"
            + NOT_FROM_EXTENSION.formatted("pg_class", "c.oid")
            + " UNION ALL SELECT quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '()'"
            + " FROM pg_proc p JOIN managed n ON n.oid = p.pronamespace WHERE true"
            + NOT_FROM_EXTENSION.formatted("pg_proc", "p.oid")
            // Types of their own (enums, domains, ranges, free-standing composites); a table's row type is its table.
            + " UNION ALL SELECT quote_ident(n.nspname) || '.' || quote_ident(t.typname)"
            + " FROM pg_type t JOIN managed n ON n.oid = t.typnamespace"
            + " WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c'"
            + " AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))"
            + NOT_FROM_EXTENSION.formatted("pg_type", "t.oid")
            + ") SELECT count(*) OVER (), name FROM objects ORDER BY name LIMIT ?";

    private DatabaseContentsReader() {
    }

    /**
     * @param schemas the schemas Flyway manages (the first holds its history); empty means the connection's default
     * @param names   how many object names to return at most
     */
    public static DatabaseContents read(DbConnection database, List<String> schemas, int names) {
        try (Connection connection = database.open()) {
            connection.setReadOnly(true);
            List<String> managed = schemas == null || schemas.isEmpty() ? List.of(currentSchema(connection))
                    : List.copyOf(schemas);
            String historyVersion = null;
            boolean history = hasHistory(connection, managed.get(0));
            if (history) {
                historyVersion = historyVersion(connection, managed.get(0));
            }
            int count = 0;
            List<String> found = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(OBJECTS)) {
                Array schemaNames = connection.createArrayOf("text", managed.toArray());
                statement.setArray(1, schemaNames);
                statement.setInt(2, names);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        count = rows.getInt(1);
                        found.add(rows.getString(2));
                    }
                }
            }
            return new DatabaseContents(history, historyVersion, count, found);
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, database, "read what the database holds at");
        }
    }

    private static String currentSchema(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT current_schema()");
             ResultSet row = statement.executeQuery()) {
            // No schema of the search path exists: Flyway would create "public".
            return row.next() && row.getString(1) != null ? row.getString(1) : "public";
        }
    }

    private static boolean hasHistory(Connection connection, String schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT to_regclass(quote_ident(?) || '.' || quote_ident(?)) IS NOT NULL")) {
            statement.setString(1, schema);
            statement.setString(2, PgSchemaReader.FLYWAY_HISTORY_TABLE);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** The newest successfully applied version, or null when the history holds none (a table created, no row). */
    private static String historyVersion(Connection connection, String schema) throws SQLException {
        String table = quote(schema) + "." + quote(PgSchemaReader.FLYWAY_HISTORY_TABLE);
        try (PreparedStatement statement = connection.prepareStatement("SELECT version FROM " + table
                + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1");
             ResultSet row = statement.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
