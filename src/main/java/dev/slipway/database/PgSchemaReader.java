package dev.slipway.database;

import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.core.schema.SchemaSnapshot.EnumType;
import dev.slipway.core.schema.SchemaSnapshot.Extension;
import dev.slipway.core.schema.SchemaSnapshot.Sequence;
import dev.slipway.core.schema.SchemaSnapshot.SqlFunction;
import dev.slipway.core.schema.SchemaSnapshot.View;
import dev.slipway.core.schema.Table;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Reads a {@link SchemaSnapshot} from {@code pg_catalog}: one set-based query per kind of object (nine in all, whatever
 * the number of tables), inside read-only repeatable-read transactions that share one snapshot, so it is consistent. Works with a
 * role that has no write rights at all. Objects that belong to an extension and Flyway's history table are left out.
 *
 * <p>The queries run with {@code search_path = pg_catalog}, so every name PostgreSQL prints (types, defaults, index
 * and view definitions) is schema-qualified the same way whatever the caller's search path.
 */
public final class PgSchemaReader {

    /** Flyway's history table (and Slipway's schema floor beside it) are bookkeeping, not application schema. */
    public static final String FLYWAY_HISTORY_TABLE = "flyway_schema_history";

    private static final String QUALIFIED_RELATION = "quote_ident(n.nspname) || '.' || quote_ident(c.relname)";
    private static final String NOT_FROM_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
            + "'%s'::regclass AND d.objid = %s AND d.deptype = 'e')";
    private static final String RELATIONS = " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ANY(?) AND " + NOT_FROM_EXTENSION.formatted("pg_class", "c.oid");
    private static final String TABLES = RELATIONS + " AND c.relkind IN ('r', 'p') AND c.relname NOT IN ('"
            + FLYWAY_HISTORY_TABLE + "', '" + SchemaFloor.TABLE + "')";

    private PgSchemaReader() {
    }

    /**
     * Connects, reads, disconnects; failures become one-line {@link DatabaseException}s. Index definitions (the
     * costliest part: PostgreSQL prints each with {@code pg_get_indexdef}) are read on a second connection at the same
     * time, in the same snapshot ({@code pg_export_snapshot}); if the snapshot cannot be shared or that connection
     * cannot be had, everything is read on the first.
     */
    public static SchemaSnapshot read(DbConnection database, List<String> schemas) {
        try (Connection connection = database.open()) {
            return inSnapshot(connection, () -> {
                Array schemaNames = connection.createArrayOf("text", schemas.toArray());
                FutureTask<Map<String, List<Table.Index>>> indexes = indexesInParallel(database, connection, schemas);
                Map<String, TableParts> tables = readTables(connection, schemaNames);
                SchemaSnapshot withoutTables = readOtherObjects(connection, schemas, schemaNames);
                Map<String, List<Table.Index>> indexesByTable = indexes == null ? readIndexes(connection, schemaNames)
                        : indexes(indexes, connection, schemaNames);
                return withTables(withoutTables, tables, indexesByTable);
            });
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, database, "read the schema of");
        }
    }

    /** Reads everything on {@code connection}, in one snapshot. */
    public static SchemaSnapshot read(Connection connection, List<String> schemas) throws SQLException {
        return inSnapshot(connection, () -> {
            Array schemaNames = connection.createArrayOf("text", schemas.toArray());
            return withTables(readOtherObjects(connection, schemas, schemaNames), readTables(connection, schemaNames),
                    readIndexes(connection, schemaNames));
        });
    }

    private interface SnapshotRead<T> {
        T read() throws SQLException;
    }

    private static <T> T inSnapshot(Connection connection, SnapshotRead<T> read) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            statement.execute("SET LOCAL search_path = pg_catalog");
            return read.read();
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Starts reading the indexes on a second connection that imports {@code first}'s snapshot; null when the snapshot
     * cannot be exported (a standby, say), so the caller reads them itself.
     */
    private static FutureTask<Map<String, List<Table.Index>>> indexesInParallel(DbConnection database, Connection first,
            List<String> schemas) {
        String snapshot;
        try (Statement statement = first.createStatement();
             ResultSet exported = statement.executeQuery("SELECT pg_export_snapshot()")) {
            exported.next();
            snapshot = exported.getString(1);
        } catch (SQLException cannotExport) {
            return null;
        }
        FutureTask<Map<String, List<Table.Index>>> task = new FutureTask<>(() -> {
            try (Connection second = database.open()) {
                return inSnapshot(second, () -> {
                    try (Statement statement = second.createStatement()) {
                        statement.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
                    }
                    return readIndexes(second, second.createArrayOf("text", schemas.toArray()));
                });
            }
        });
        Thread reader = new Thread(task, "slipway-schema-indexes");
        reader.setDaemon(true);
        reader.start();
        return task;
    }

    /** The second connection's indexes; if it could not read them (no connection left, say), read them here. */
    private static Map<String, List<Table.Index>> indexes(FutureTask<Map<String, List<Table.Index>>> task,
            Connection connection, Array schemaNames) throws SQLException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while reading the schema's indexes", e);
        } catch (ExecutionException secondConnectionFailed) {
            return readIndexes(connection, schemaNames);
        }
    }

    private static SchemaSnapshot readOtherObjects(Connection connection, List<String> schemas, Array schemaNames)
            throws SQLException {
        return new SchemaSnapshot(schemas, readExtensions(connection), readEnums(connection, schemaNames),
                readFunctions(connection, schemaNames), readSequences(connection, schemaNames), List.of(),
                readViews(connection, schemaNames));
    }

    private static SchemaSnapshot withTables(SchemaSnapshot others, Map<String, TableParts> tables,
            Map<String, List<Table.Index>> indexes) {
        indexes.forEach((table, tableIndexes) -> {
            TableParts parts = tables.get(table);
            if (parts != null) {
                parts.indexes.addAll(tableIndexes);
            }
        });
        return new SchemaSnapshot(others.schemas(), others.extensions(), others.enums(), others.functions(),
                others.sequences(), tables.entrySet().stream().map(entry -> entry.getValue().toTable(entry.getKey()))
                        .toList(), others.views());
    }

    private static List<Extension> readExtensions(Connection connection) throws SQLException {
        return query(connection, "SELECT quote_ident(e.extname), quote_ident(n.nspname), e.extversion"
                + " FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace", null,
                row -> new Extension(row.getString(1), row.getString(2), row.getString(3)));
    }

    private static List<EnumType> readEnums(Connection connection, Array schemas) throws SQLException {
        return query(connection, "SELECT quote_ident(n.nspname) || '.' || quote_ident(t.typname),"
                + " array_agg(e.enumlabel::text ORDER BY e.enumsortorder)"
                + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid"
                + " WHERE n.nspname = ANY(?) AND " + NOT_FROM_EXTENSION.formatted("pg_type", "t.oid")
                + " GROUP BY n.nspname, t.typname", schemas,
                row -> new EnumType(row.getString(1), Arrays.asList((String[]) row.getArray(2).getArray())));
    }

    private static List<SqlFunction> readFunctions(Connection connection, Array schemas) throws SQLException {
        return query(connection, "SELECT quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('"
                + " || pg_get_function_identity_arguments(p.oid) || ')', pg_get_functiondef(p.oid)"
                + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname = ANY(?) AND p.prokind IN ('f', 'p') AND "
                + NOT_FROM_EXTENSION.formatted("pg_proc", "p.oid"), schemas,
                row -> new SqlFunction(row.getString(1), row.getString(2).strip()));
    }

    private static List<Sequence> readSequences(Connection connection, Array schemas) throws SQLException {
        // Identity columns' sequences depend internally ('i') on their column: the column describes them.
        return query(connection, "SELECT " + QUALIFIED_RELATION + ", format_type(s.seqtypid, NULL), s.seqstart,"
                + " s.seqmin, s.seqmax, s.seqincrement, s.seqcycle"
                + RELATIONS.replace(" WHERE ", " JOIN pg_sequence s ON s.seqrelid = c.oid WHERE ")
                + " AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass"
                + " AND i.objid = c.oid AND i.deptype = 'i')", schemas,
                row -> new Sequence(row.getString(1), row.getString(2), row.getLong(3), row.getLong(4),
                        row.getLong(5), row.getLong(6), row.getBoolean(7)));
    }

    private static List<View> readViews(Connection connection, Array schemas) throws SQLException {
        return query(connection, "SELECT " + QUALIFIED_RELATION + ", pg_get_viewdef(c.oid)" + RELATIONS
                + " AND c.relkind = 'v'", schemas, row -> new View(row.getString(1), viewQuery(row.getString(2))));
    }

    private static Map<String, TableParts> readTables(Connection connection, Array schemas) throws SQLException {
        Map<String, TableParts> tables = new TreeMap<>();
        for (String[] row : query(connection, "SELECT " + QUALIFIED_RELATION + ", quote_ident(a.attname),"
                + " format_type(a.atttypid, a.atttypmod), (NOT a.attnotnull)::text,"
                + " CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,"
                + " CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END,"
                + " CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END"
                + TABLES.replace(" WHERE ", " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0"
                        + " AND NOT a.attisdropped LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum"
                        + " WHERE "), schemas, PgSchemaReader::strings)) {
            TableParts table = tables.computeIfAbsent(row[0], name -> new TableParts());
            if (row[1] != null) { // a table without columns still exists
                table.columns.add(new Table.Column(row[1], row[2], Boolean.parseBoolean(row[3]), row[4], row[5], row[6]));
            }
        }
        for (String[] row : query(connection, "SELECT " + QUALIFIED_RELATION + ", quote_ident(con.conname),"
                + " CASE con.contype WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' WHEN 'f' THEN 'FOREIGN KEY'"
                + " WHEN 'c' THEN 'CHECK' ELSE 'EXCLUDE' END, pg_get_constraintdef(con.oid)"
                + TABLES.replace(" WHERE ", " JOIN pg_constraint con ON con.conrelid = c.oid WHERE ")
                + " AND con.contype IN ('p', 'u', 'f', 'c', 'x')", schemas, PgSchemaReader::strings)) {
            tables.get(row[0]).constraints.add(new Table.Constraint(row[1], row[2], row[3]));
        }
        for (String[] row : query(connection, "SELECT " + QUALIFIED_RELATION + ", quote_ident(t.tgname),"
                + " pg_get_triggerdef(t.oid)"
                + TABLES.replace(" WHERE ", " JOIN pg_trigger t ON t.tgrelid = c.oid WHERE ") + " AND NOT t.tgisinternal",
                schemas, PgSchemaReader::strings)) {
            tables.get(row[0]).triggers.add(new Table.Trigger(row[1], row[2]));
        }
        return tables;
    }

    /** Index definitions by table, as PostgreSQL prints them. */
    private static Map<String, List<Table.Index>> readIndexes(Connection connection, Array schemas) throws SQLException {
        Map<String, List<Table.Index>> indexes = new TreeMap<>();
        for (String[] row : query(connection, "SELECT " + QUALIFIED_RELATION + ", quote_ident(ic.relname),"
                + " pg_get_indexdef(i.indexrelid), i.indisunique::text, i.indisprimary::text,"
                + " (SELECT quote_ident(con.conname) FROM pg_constraint con WHERE con.conindid = i.indexrelid"
                + " AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))"
                + TABLES.replace(" WHERE ", " JOIN pg_index i ON i.indrelid = c.oid JOIN pg_class ic ON ic.oid = i.indexrelid"
                        + " WHERE "), schemas, PgSchemaReader::strings)) {
            indexes.computeIfAbsent(row[0], table -> new ArrayList<>()).add(new Table.Index(row[1], row[2],
                    Boolean.parseBoolean(row[3]), Boolean.parseBoolean(row[4]), row[5]));
        }
        return indexes;
    }

    /** PostgreSQL prints a view's query with leading blanks and a final semicolon; keep the query only. */
    private static String viewQuery(String printed) {
        String query = printed.strip();
        return query.endsWith(";") ? query.substring(0, query.length() - 1).strip() : query;
    }

    /** Booleans are selected as {@code ::text} ("true"/"false") so every column reads as a string. */
    private static String[] strings(ResultSet row) throws SQLException {
        String[] values = new String[row.getMetaData().getColumnCount()];
        for (int column = 0; column < values.length; column++) {
            values[column] = row.getString(column + 1);
        }
        return values;
    }

    private interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private static <T> List<T> query(Connection connection, String sql, Array schemas, RowMapper<T> mapper)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (schemas != null) {
                statement.setArray(1, schemas);
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(mapper.map(result));
                }
            }
            return rows;
        }
    }

    /** A table's pieces while the per-kind queries fill them in. */
    private static final class TableParts {
        final List<Table.Column> columns = new ArrayList<>();
        final List<Table.Index> indexes = new ArrayList<>();
        final List<Table.Constraint> constraints = new ArrayList<>();
        final List<Table.Trigger> triggers = new ArrayList<>();

        Table toTable(String name) {
            return new Table(name, columns, indexes, constraints, triggers);
        }
    }
}
