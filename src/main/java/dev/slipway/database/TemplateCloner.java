package dev.slipway.database;

import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.core.schema.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A backup of the application's database as a copy on the same server: {@code CREATE DATABASE <backup> TEMPLATE <db>}.
 * PostgreSQL copies the files, so it is quick, and refuses while any other session is connected to the source (the
 * upgrade has quiesced the application before). Every statement runs over a connection to the maintenance database
 * ({@code postgres}, else {@code template1}, as pg_dumpall does), never to the source.
 *
 * <p>The copy is not complete by itself: "Database-level configuration parameters (set via ALTER DATABASE) and
 * database-level permissions (set via GRANT) are not copied from the template database", says the CREATE DATABASE page
 * (https://www.postgresql.org/docs/15/sql-createdatabase.html, Notes), and the role that creates a database owns it.
 * So the source's owner, its {@code pg_database.datacl} and its {@code pg_db_role_setting} rows (for all roles and for
 * single roles, {@code ALTER ROLE … IN DATABASE … SET}) are carried over to the copy: a restore gives the application
 * the access it had. The same carry-over prepares the empty database a PgDump backup is restored into
 * ({@link #createEmptyLike}), and the same name swap ({@link #restoreFrom}) puts either kind of backup in place.
 */
public final class TemplateCloner {

    /** Settings whose values are lists of quoted identifiers (pg_dump's variable_is_guc_list_quote). */
    private static final Set<String> LIST_QUOTED_SETTINGS = Set.of("search_path", "temp_tablespaces",
            "session_preload_libraries", "shared_preload_libraries", "local_preload_libraries");
    private static final String MAINTENANCE_DATABASE = "postgres";
    private static final String FALLBACK_MAINTENANCE_DATABASE = "template1";
    private static final String SETTINGS = "SELECT coalesce(r.rolname, ''), unnest(s.setconfig) FROM pg_db_role_setting s"
            + " JOIN pg_database d ON d.oid = s.setdatabase LEFT JOIN pg_roles r ON r.oid = s.setrole WHERE d.datname = ?";
    private static final String GRANTS = "SELECT CASE WHEN a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee) END,"
            + " a.privilege_type, a.is_grantable FROM pg_database d, aclexplode(d.datacl) a"
            + " WHERE d.datname = ? AND a.grantee <> d.datdba";

    /** A database-level privilege: the role (empty for PUBLIC), the privilege, and whether it may be granted on. */
    record Grant(String grantee, String privilege, boolean grantable) {
    }

    /** What a retention pass dropped, and the backups it could not drop (someone connected to them, say) and why. */
    public record Pruned(List<String> dropped, Map<String, String> notDropped) {
    }

    private final DbConnection source;

    /** @param source the application's database, as the admin role (owner or superuser, with CREATEDB) */
    public TemplateCloner(DbConnection source) {
        this.source = source;
    }

    /** The name of the source database, as the server knows it. */
    public String sourceDatabase() {
        try (Connection connection = source.open(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_database()")) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, source, "read the name of");
        }
    }

    /**
     * Why the admin role could not take the copy, or restore a backup in the database's place, if it could not: CREATE
     * DATABASE needs CREATEDB, and copying a database that is not marked as a template, or renaming it, needs its owner
     * (or a member of the owning role) or a superuser.
     */
    public Optional<String> missingPrivilege() {
        String sql = "SELECT current_user, r.rolsuper, r.rolcreatedb, pg_has_role(current_user, d.datdba, 'MEMBER'),"
                + " pg_get_userbyid(d.datdba), d.datname FROM pg_roles r, pg_database d"
                + " WHERE r.rolname = current_user AND d.datname = current_database()";
        try (Connection connection = source.open(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            String role = row.getString(1);
            if (row.getBoolean(2)) {
                return Optional.empty();
            }
            if (!row.getBoolean(3)) {
                return Optional.of("role " + role + " lacks CREATEDB (ALTER ROLE " + identifier(role)
                        + " CREATEDB), which creating the backup's database needs");
            }
            if (!row.getBoolean(4)) {
                return Optional.of("role " + role + " is neither superuser nor a member of " + row.getString(5)
                        + ", the owner of database " + row.getString(6) + ": only they may copy or rename it");
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, source, "read the privileges of the admin role on");
        }
    }

    /**
     * Creates {@code backup} as a copy of the source unless it exists (an earlier attempt created it before a crash),
     * then gives it the source's owner, grants and settings. Safe to run again at any point.
     */
    public void cloneTo(String backup) {
        String database = sourceDatabase();
        try (Connection connection = maintenance()) {
            if (!exists(connection, backup)) {
                create(connection, database, backup);
            }
            carryOverTo(connection, database, backup);
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, source, "copy the owner, grants and settings of the database to " + backup
                    + " on the server of");
        }
    }

    /**
     * How {@code backup} differs from the source: the schema snapshot of every schema but PostgreSQL's own, the row
     * count of each table, the database-level grants and settings. Empty when it is a faithful copy.
     */
    public List<String> differences(String backup) {
        DbConnection copy = source.onDatabase(backup);
        List<String> differences = new ArrayList<>();
        List<String> schemas = userSchemas();
        SchemaSnapshot expected = PgSchemaReader.read(source, schemas);
        SchemaSnapshot actual = PgSchemaReader.read(copy, schemas);
        differences.addAll(schemaDifferences(expected, actual));
        Map<String, Long> expectedRows = rowCounts(source, expected);
        Map<String, Long> actualRows = rowCounts(copy, actual);
        expectedRows.forEach((table, rows) -> {
            if (!Objects.equals(rows, actualRows.get(table))) {
                differences.add("table " + table + " has " + actualRows.get(table) + " rows instead of " + rows);
            }
        });
        differences.addAll(databaseLevelDifferences(backup));
        return differences;
    }

    private List<String> userSchemas() {
        List<String> schemas = new ArrayList<>();
        try (Connection connection = source.open(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_'"
                     + " AND nspname <> 'information_schema'")) {
            while (rows.next()) {
                schemas.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, source, "list the schemas of");
        }
        return schemas;
    }

    /** The size of a database on the source's server, as {@code pg_database_size} counts it. */
    public long sizeBytes(String database) {
        try (Connection connection = maintenance();
             PreparedStatement statement = connection.prepareStatement("SELECT pg_database_size(?)")) {
            statement.setString(1, database);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, source, "read the size of " + database + " on the server of");
        }
    }

    /** Whether a database of that name exists on the source's server. */
    public boolean exists(String database) {
        try (Connection connection = maintenance()) {
            return exists(connection, database);
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, source, "look for database " + database + " on the server of");
        }
    }

    /** Drops a backup that turned out unusable. */
    public void drop(String backup) {
        try (Connection connection = maintenance(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + identifier(backup));
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, source, "drop " + backup + " on the server of");
        }
    }

    /**
     * Keeps the {@code keep} newest backups of the source (by the time in their names), {@code current} always among
     * them, and drops the older ones. Only names of this database's backups ({@link BackupNames#isBackup}) are
     * considered. A backup that cannot be dropped stays, with the reason.
     */
    public Pruned prune(String current, int keep) {
        String prefix = BackupNames.prefix(sourceDatabase());
        List<String> dropped = new ArrayList<>();
        Map<String, String> notDropped = new TreeMap<>();
        try (Connection connection = maintenance()) {
            List<String> older = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT datname FROM pg_database WHERE starts_with(datname, ?)")) {
                statement.setString(1, prefix);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String name = rows.getString(1);
                        if (!name.equals(current) && BackupNames.isBackup(prefix, name)) {
                            older.add(name);
                        }
                    }
                }
            }
            older.sort(Comparator.comparing(BackupNames::stamp).thenComparing(Function.identity()).reversed());
            for (String name : older.subList(Math.min(older.size(), Math.max(0, keep - 1)), older.size())) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP DATABASE IF EXISTS " + identifier(name));
                    dropped.add(name);
                } catch (SQLException e) {
                    notDropped.put(name, DatabaseErrors.firstLine(e));
                }
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, source, "list the backups on the server of");
        }
        return new Pruned(dropped, notDropped);
    }

    /**
     * Creates {@code database} empty, as pg_restore wants it, with the source's encoding and locale (from
     * {@code template0}, the only template that accepts other ones) and the source's owner, database-level grants and
     * settings: a dump restored without {@code --create} brings none of those. A database of that name is dropped
     * first: it can only be what an earlier attempt created before it stopped, and nothing has restored into it yet.
     */
    public void createEmptyLike(String database) {
        String source = sourceDatabase();
        try (Connection connection = maintenance()) {
            String options;
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_encoding_to_char(encoding),"
                    // Read through to_jsonb: datlocprovider is new in PostgreSQL 15, daticulocale is datlocale in 17.
                    + " datcollate, datctype, to_jsonb(d) ->> 'datlocprovider', coalesce(to_jsonb(d) ->> 'daticulocale',"
                    + " to_jsonb(d) ->> 'datlocale') FROM pg_database d WHERE datname = ?")) {
                statement.setString(1, source);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    options = " TEMPLATE template0 ENCODING " + literal(row.getString(1)) + " LC_COLLATE "
                            + literal(row.getString(2)) + " LC_CTYPE " + literal(row.getString(3))
                            + ("i".equals(row.getString(4)) ? " LOCALE_PROVIDER icu ICU_LOCALE "
                            + literal(row.getString(5)) : "");
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + identifier(database));
                statement.execute("CREATE DATABASE " + identifier(database) + options);
            }
            carryOverTo(connection, source, database);
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, this.source, "create database " + database + " to restore into on the "
                    + "server of");
        }
    }

    /**
     * Why {@code restored}, a dump of the source restored into a database beside it, is not fit to take the source's
     * place: it has no table, its Flyway history is not at {@code schemaVersion} (when known), or its database-level
     * grants and settings are not the source's. Empty when it is fit.
     *
     * @param flywaySchema the schema of Flyway's history table, null to look for it in every schema
     */
    public List<String> restoreProblems(String restored, String flywaySchema, String schemaVersion) {
        List<String> problems = new ArrayList<>();
        DbConnection copy = source.onDatabase(restored);
        try (Connection connection = copy.open(); Statement statement = connection.createStatement()) {
            try (ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname !~ '^pg_'"
                    + " AND n.nspname <> 'information_schema'")) {
                row.next();
                if (row.getLong(1) == 0) {
                    problems.add("database " + restored + " has no table after pg_restore");
                }
            }
            if (schemaVersion != null) {
                Optional<String> version = flywayVersion(connection, flywaySchema);
                if (version.isEmpty() || !FlywayMigrator.sameVersion(schemaVersion, version.get())) {
                    problems.add("database " + restored + " is at schema " + version.orElse("(no Flyway history)")
                            + " instead of " + schemaVersion + ", the schema of the backed-up version");
                }
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, copy, "check the restored database");
        }
        problems.addAll(databaseLevelDifferences(restored));
        return problems;
    }

    /**
     * How the database-level GRANTs and settings of {@code other} differ from the application database's: neither
     * CREATE DATABASE … TEMPLATE nor pg_restore without --create carries them, so a copy must be given them and checked.
     */
    private List<String> databaseLevelDifferences(String other) {
        List<String> differences = new ArrayList<>();
        String database = sourceDatabase();
        try (Connection connection = maintenance()) {
            Set<Grant> expectedGrants = grants(connection, database);
            Set<Grant> actualGrants = grants(connection, other);
            if (!expectedGrants.equals(actualGrants)) {
                differences.add("database grants " + actualGrants + " instead of " + expectedGrants);
            }
            Set<String> expectedSettings = settings(connection, database);
            Set<String> actualSettings = settings(connection, other);
            if (!expectedSettings.equals(actualSettings)) {
                differences.add("database settings " + actualSettings + " instead of " + expectedSettings);
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, source, "compare the grants and settings of " + other
                    + " on the server of");
        }
        return differences;
    }

    /** The latest version Flyway's history records as applied, in {@code schema} or wherever the table is. */
    private static Optional<String> flywayVersion(Connection connection, String schema) throws SQLException {
        String table;
        try (PreparedStatement statement = connection.prepareStatement("SELECT quote_ident(n.nspname) || '.'"
                + " || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relname = 'flyway_schema_history' AND (?::text IS NULL OR n.nspname = ?)"
                + " ORDER BY n.nspname <> 'public', n.nspname LIMIT 1")) {
            statement.setString(1, schema);
            statement.setString(2, schema);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                table = row.getString(1);
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT version FROM " + table + " WHERE success AND version IS"
                     + " NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
        }
    }

    /**
     * Whether {@link #restoreFrom} swapped the names already: the source's name is taken again (by the backup), the
     * backup's is gone and the failed database exists.
     */
    public boolean swapped(String database, String backup, String failed) {
        try (Connection connection = maintenance()) {
            return swapped(connection, database, backup, failed);
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, source, "look for databases " + database + ", " + backup + " and "
                    + failed + " on the server of");
        }
    }

    private static boolean swapped(Connection connection, String database, String backup, String failed)
            throws SQLException {
        return exists(connection, database) && !exists(connection, backup) && exists(connection, failed);
    }

    /** What {@link #restoreFrom} found: it swapped the names now, or an earlier run had swapped them already. */
    public enum Restore { SWAPPED, ALREADY_SWAPPED }

    /**
     * Puts {@code backup} back in place of the source database: renames the source to {@code failed} (kept for
     * inspection, never dropped) and the backup to the source's name, both in one transaction, so that no crash leaves
     * one renamed without the other. ALTER DATABASE … RENAME needs no session on either database: the admin role's own
     * sessions on them are ended first; anybody else's (the application must be quiesced) make it fail with their
     * names. Safe to run again: which databases exist tells whether an earlier run swapped them already.
     */
    public Restore restoreFrom(String database, String backup, String failed) {
        try (Connection connection = maintenance()) {
            if (swapped(connection, database, backup, failed)) {
                return Restore.ALREADY_SWAPPED;
            }
            boolean sourceExists = exists(connection, database);
            boolean backupExists = exists(connection, backup);
            boolean failedExists = exists(connection, failed);
            if (!sourceExists || !backupExists || failedExists) {
                throw new DatabaseException(DatabaseException.Kind.QUERY_FAILED, "cannot restore database " + database
                        + " from " + backup + ": expected both and no " + failed + ", found "
                        + (sourceExists ? "" : "no ") + database + ", " + (backupExists ? "" : "no ") + backup + ", "
                        + (failedExists ? "" : "no ") + failed, null);
            }
            endOwnSessions(connection, database, backup);
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER DATABASE " + identifier(database) + " RENAME TO " + identifier(failed));
                statement.execute("ALTER DATABASE " + identifier(backup) + " RENAME TO " + identifier(database));
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if ("55006".equals(e.getSQLState())) {
                    throw new DatabaseException(DatabaseException.Kind.QUERY_FAILED, "cannot restore database "
                            + database + " from " + backup + ": other sessions are connected (" + sessions(connection,
                            database) + "; on the backup: " + sessions(connection, backup) + "); nothing was renamed", e);
                }
                throw e;
            }
            return Restore.SWAPPED;
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, source, "restore " + backup + " as the database of");
        }
    }

    /** Ends the sessions of the connected role on the given databases (its own, say a verification's). */
    private static void endOwnSessions(Connection connection, String... databases) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_terminate_backend(pid)"
                + " FROM pg_stat_activity WHERE datname = ANY (?) AND usename = current_user AND pid <> pg_backend_pid()")) {
            statement.setArray(1, connection.createArrayOf("text", databases));
            statement.execute();
        }
    }

    /** Gives {@code target} the owner, database-level grants and settings of {@code database}, in one transaction. */
    private static void carryOverTo(Connection connection, String database, String target) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL standard_conforming_strings = on");
            for (String sql : carryOver(connection, database, target)) {
                statement.execute(sql);
            }
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    private void create(Connection connection, String database, String backup) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + identifier(backup) + " TEMPLATE "
                    + identifier(database));
        } catch (SQLException e) {
            if ("55006".equals(e.getSQLState())) {
                // object_in_use: PostgreSQL waited 5 s for the other sessions on the source to end.
                throw new DatabaseException(DatabaseException.Kind.QUERY_FAILED, "cannot copy database " + database
                        + ": other sessions are connected to it (" + sessions(connection, database) + "); a "
                        + "TemplateClone backup needs none. List every role the application uses in "
                        + "spec.database.applicationRoles so that Quiesce waits for them", e);
            }
            throw DatabaseErrors.translate(e, source, "create " + backup + " as a copy of");
        }
    }

    /** The statements that give {@code backup} the source's owner, database-level grants and settings. */
    private static List<String> carryOver(Connection connection, String database, String backup) throws SQLException {
        String target = identifier(backup);
        List<String> statements = new ArrayList<>();
        boolean explicitAcl;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_get_userbyid(datdba), datacl IS NOT NULL FROM pg_database WHERE datname = ?")) {
            statement.setString(1, database);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                statements.add("ALTER DATABASE " + target + " OWNER TO " + identifier(row.getString(1)));
                explicitAcl = row.getBoolean(2);
            }
        }
        if (explicitAcl) {
            // A NULL datacl means the defaults (PUBLIC may connect and create temporary tables): the copy has them.
            // Otherwise start from the owner's privileges alone and grant exactly what the source grants.
            statements.add("REVOKE ALL ON DATABASE " + target + " FROM PUBLIC");
            for (Grant grant : grants(connection, database)) {
                statements.add("GRANT " + grant.privilege() + " ON DATABASE " + target + " TO "
                        + (grant.grantee().isEmpty() ? "PUBLIC" : identifier(grant.grantee()))
                        + (grant.grantable() ? " WITH GRANT OPTION" : ""));
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(SETTINGS)) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String role = rows.getString(1);
                    String setting = rows.getString(2);
                    int equals = setting.indexOf('=');
                    String name = setting.substring(0, equals);
                    statements.add((role.isEmpty() ? "ALTER DATABASE " + target
                            : "ALTER ROLE " + identifier(role) + " IN DATABASE " + target)
                            + " SET " + identifier(name) + " TO " + settingValue(name, setting.substring(equals + 1)));
                }
            }
        }
        return statements;
    }

    /**
     * A stored setting value as SQL that stores it again unchanged: one string literal, or for list settings one
     * literal per element (as pg_dump writes them), since PostgreSQL quotes each element of those again.
     */
    static String settingValue(String name, String stored) {
        if (!LIST_QUOTED_SETTINGS.contains(name.toLowerCase(Locale.ROOT))) {
            return literal(stored);
        }
        return String.join(", ", splitIdentifierList(stored).stream().map(TemplateCloner::literal).toList());
    }

    /** {@code "$user", public, "a""b"} → {@code $user}, {@code public}, {@code a"b}. */
    static List<String> splitIdentifierList(String list) {
        List<String> elements = new ArrayList<>();
        int i = 0;
        while (i < list.length()) {
            while (i < list.length() && Character.isWhitespace(list.charAt(i))) {
                i++;
            }
            StringBuilder element = new StringBuilder();
            if (i < list.length() && list.charAt(i) == '"') {
                i++;
                while (i < list.length()) {
                    char c = list.charAt(i++);
                    if (c == '"') {
                        if (i < list.length() && list.charAt(i) == '"') {
                            element.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        element.append(c);
                    }
                }
                while (i < list.length() && list.charAt(i) != ',') {
                    i++;
                }
            } else {
                int comma = list.indexOf(',', i);
                int end = comma < 0 ? list.length() : comma;
                element.append(list.substring(i, end).strip());
                i = end;
            }
            elements.add(element.toString());
            i++;
        }
        return elements;
    }

    /** Always quoted: the name exactly as written, whatever its case or characters. */
    private static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static Set<Grant> grants(Connection connection, String database) throws SQLException {
        Set<Grant> grants = new TreeSet<>(Comparator.comparing(Grant::grantee).thenComparing(Grant::privilege)
                .thenComparing(Grant::grantable));
        try (PreparedStatement statement = connection.prepareStatement(GRANTS)) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    grants.add(new Grant(rows.getString(1), rows.getString(2), rows.getBoolean(3)));
                }
            }
        }
        return grants;
    }

    /** {@code role: name=value} for every stored setting ({@code *} for all roles). */
    private static Set<String> settings(Connection connection, String database) throws SQLException {
        Set<String> settings = new TreeSet<>();
        try (PreparedStatement statement = connection.prepareStatement(SETTINGS)) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    settings.add((rows.getString(1).isEmpty() ? "*" : rows.getString(1)) + ": " + rows.getString(2));
                }
            }
        }
        return settings;
    }

    private static String sessions(Connection connection, String database) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT usename, coalesce(application_name, ''),"
                + " count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()"
                + " GROUP BY 1, 2 ORDER BY 1, 2")) {
            statement.setString(1, database);
            List<String> sessions = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sessions.add(rows.getLong(3) + " of role " + rows.getString(1)
                            + (rows.getString(2).isEmpty() ? "" : " (application_name " + rows.getString(2) + ")"));
                }
            }
            return sessions.isEmpty() ? "they ended since" : String.join(", ", sessions);
        } catch (SQLException e) {
            return "pg_stat_activity unreadable: " + DatabaseErrors.firstLine(e);
        }
    }

    private static boolean exists(Connection connection, String database) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            statement.setString(1, database);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    /** A session on the maintenance database of the source's server, as the same role. */
    private Connection maintenance() throws SQLException {
        try {
            return source.onDatabase(MAINTENANCE_DATABASE).open();
        } catch (SQLException e) {
            // invalid_catalog_name (no such database) or insufficient_privilege (no CONNECT on it)
            if ("3D000".equals(e.getSQLState()) || "42501".equals(e.getSQLState())) {
                return source.onDatabase(FALLBACK_MAINTENANCE_DATABASE).open();
            }
            throw e;
        }
    }

    private static List<String> schemaDifferences(SchemaSnapshot expected, SchemaSnapshot actual) {
        if (expected.equals(actual)) {
            return List.of();
        }
        List<String> differences = new ArrayList<>();
        Map<String, Table> copied = new TreeMap<>();
        actual.tables().forEach(table -> copied.put(table.name(), table));
        for (Table table : expected.tables()) {
            if (!table.equals(copied.remove(table.name()))) {
                differences.add("table " + table.name() + " differs");
            }
        }
        copied.keySet().forEach(name -> differences.add("table " + name + " is not in the source"));
        if (differences.isEmpty()) {
            differences.add("the schema (types, functions, sequences or views) differs");
        }
        return differences;
    }

    private static Map<String, Long> rowCounts(DbConnection database, SchemaSnapshot schema) {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            // The database's own statement_timeout is the application's (and the copy has it too): counting a large
            // table may take longer.
            statement.execute("SET statement_timeout = 0");
            for (Table table : schema.tables()) {
                // Table names in a snapshot are SQL-ready: schema-qualified and quoted where needed.
                try (ResultSet row = statement.executeQuery("SELECT count(*) FROM " + table.name())) {
                    row.next();
                    counts.put(table.name(), row.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, database, "count the rows of");
        }
        return counts;
    }
}
