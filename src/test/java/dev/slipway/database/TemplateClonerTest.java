package dev.slipway.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.demo.LocalPostgres;
import static dev.slipway.testing.SqlRows.execute;
import static dev.slipway.testing.SqlRows.rows;

import dev.slipway.testing.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Backups as copies of a database on the same server, against a real PostgreSQL. */
class TemplateClonerTest {

    private static final AtomicInteger BACKUPS = new AtomicInteger();
    private static final Instant NOON = Instant.parse("2026-12-05T12:00:00Z");
    private final LocalPostgres server = PostgresServer.get();

    @Test
    void theCopyHasTheSourcesSchemaAndRows() {
        LocalPostgres.Database source = SampleSchema.freshDatabase();
        source.execute("INSERT INTO customers (email, name) SELECT 'c' || i || '@example.com', 'C' || i"
                + " FROM generate_series(1, 250) i");
        // The owner of the database with CREATEDB, as an admin Secret would usually name: no superuser needed.
        execute(server.adminConnection(), "ALTER ROLE " + source.user() + " CREATEDB");
        TemplateCloner cloner = new TemplateCloner(source.connection());
        String backup = backupName(source);

        assertThat(cloner.missingPrivilege()).isEmpty();
        cloner.cloneTo(backup);

        DbConnection copy = source.connection().onDatabase(backup);
        assertThat(PgSchemaReader.read(copy, List.of("public"))).isEqualTo(SampleSchema.snapshot(source));
        assertThat(rows(copy, "SELECT id, email, name, created_at FROM customers ORDER BY id"))
                .hasSize(251).isEqualTo(rows(source.connection(), "SELECT id, email, name, created_at FROM customers ORDER BY id"));
        assertThat(rows(copy, "SELECT count(*) FROM orders")).containsExactly("1");
        assertThat(cloner.differences(backup)).isEmpty();
        assertThat(cloner.sizeBytes(backup)).isGreaterThan(1_000_000L);
        assertThat(rows(copy, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
                .containsExactly(source.user());

        // Run again (a crash after the copy was made): the same copy, completed and verified again, not a second one.
        cloner.cloneTo(backup);
        assertThat(cloner.differences(backup)).isEmpty();
    }

    @Test
    void grantsAndSettingsTheCopyDoesNotTakeAreCarriedOver() {
        LocalPostgres.Database source = SampleSchema.freshDatabase();
        LocalPostgres.Role application = server.createRole("app");
        LocalPostgres.Role stranger = server.createRole("stranger");
        // Run as a superuser: only one may set another role's settings in a database (ALTER ROLE … IN DATABASE).
        DbConnection admin = server.adminConnection().onDatabase(source.name());
        execute(admin, "REVOKE ALL ON DATABASE " + source.name() + " FROM PUBLIC",
                "GRANT CONNECT, TEMPORARY ON DATABASE " + source.name() + " TO " + application.name(),
                "ALTER DATABASE " + source.name() + " SET search_path = shop, \"$user\", public",
                "ALTER DATABASE " + source.name() + " SET statement_timeout = '5s'",
                "ALTER ROLE " + application.name() + " IN DATABASE " + source.name() + " SET work_mem = '8MB'");
        TemplateCloner cloner = new TemplateCloner(admin);
        String backup = backupName(source);

        cloner.cloneTo(backup);

        DbConnection copy = admin.onDatabase(backup);
        assertThat(rows(copy, "SELECT has_database_privilege('" + application.name() + "', current_database(), 'CONNECT'),"
                + " has_database_privilege('" + application.name() + "', current_database(), 'TEMPORARY'),"
                + " has_database_privilege('" + stranger.name() + "', current_database(), 'CONNECT')"))
                .containsExactly("t|t|f");
        DbConnection asApplication = new DbConnection(copy.jdbcUrl(), application.name(), application.password());
        assertThat(rows(asApplication, "SELECT current_setting('search_path'), current_setting('statement_timeout'),"
                + " current_setting('work_mem')")).containsExactly("shop, \"$user\", public|5s|8MB");
        assertThat(cloner.differences(backup)).isEmpty();
    }

    @Test
    void theDatabaseADumpIsRestoredIntoStartsEmptyWithTheSourcesGrantsAndSettingsAndIsCheckedBeforeTheSwap() {
        LocalPostgres.Database source = SampleSchema.freshDatabase();
        LocalPostgres.Role application = server.createRole("app");
        DbConnection admin = server.adminConnection().onDatabase(source.name());
        execute(admin, "REVOKE ALL ON DATABASE " + source.name() + " FROM PUBLIC",
                "GRANT CONNECT ON DATABASE " + source.name() + " TO " + application.name(),
                "ALTER DATABASE " + source.name() + " SET statement_timeout = '5s'");
        TemplateCloner cloner = new TemplateCloner(admin);
        String restored = backupName(source);
        // What an earlier attempt left before it stopped is replaced: the database starts empty.
        execute(server.adminConnection(), "CREATE DATABASE " + restored);
        execute(admin.onDatabase(restored), "CREATE TABLE leftover (id int)");

        cloner.createEmptyLike(restored);

        DbConnection fresh = admin.onDatabase(restored);
        assertThat(rows(fresh, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).containsExactly("0");
        assertThat(rows(server.adminConnection(), "SELECT pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding),"
                + " d.datcollate FROM pg_database d WHERE datname = '" + restored + "'"))
                .isEqualTo(rows(server.adminConnection(), "SELECT pg_get_userbyid(d.datdba),"
                        + " pg_encoding_to_char(d.encoding), d.datcollate FROM pg_database d WHERE datname = '"
                        + source.name() + "'"));
        assertThat(cloner.restoreProblems(restored, null, "1")).containsExactly("database " + restored
                + " has no table after pg_restore", "database " + restored + " is at schema (no Flyway history) "
                + "instead of 1, the schema of the backed-up version");

        execute(fresh, "CREATE TABLE orders (id int)", "CREATE TABLE flyway_schema_history (installed_rank int,"
                + " version text, success boolean)", "INSERT INTO flyway_schema_history VALUES (1, '1', true),"
                + " (2, '2', false)");
        assertThat(cloner.restoreProblems(restored, null, "1")).isEmpty();
        assertThat(cloner.restoreProblems(restored, "public", "1.0")).as("Flyway's notion of equal versions").isEmpty();
        assertThat(cloner.restoreProblems(restored, null, "2")).singleElement().asString()
                .contains("is at schema 1 instead of 2");
        assertThat(cloner.restoreProblems(restored, null, null)).as("no known schema: tables suffice").isEmpty();
        execute(admin, "GRANT TEMPORARY ON DATABASE " + source.name() + " TO " + application.name());
        assertThat(cloner.restoreProblems(restored, null, "1")).singleElement().asString()
                .startsWith("database grants");
    }

    @Test
    void aCopyThatDiffersIsReportedWithWhatDiffers() {
        LocalPostgres.Database source = SampleSchema.freshDatabase();
        DbConnection admin = server.adminConnection().onDatabase(source.name());
        TemplateCloner cloner = new TemplateCloner(admin);
        String backup = backupName(source);
        cloner.cloneTo(backup);

        execute(admin.onDatabase(backup), "DELETE FROM orders", "ALTER TABLE customers ADD COLUMN extra int");

        assertThat(cloner.differences(backup)).containsExactlyInAnyOrder("table public.customers differs",
                "table public.orders has 0 rows instead of 1");
    }

    @Test
    void retentionKeepsTheNewestAndNeverTheCurrentBackupAndOnlyThisDatabasesBackups() {
        LocalPostgres.Database source = server.createDatabase("kept");
        LocalPostgres.Database other = server.createDatabase("other");
        DbConnection admin = server.adminConnection().onDatabase(source.name());
        String current = BackupNames.name(source.name(), "1.0.0", NOON.minusSeconds(9000));
        List<String> older = new ArrayList<>();
        for (int hour = 3; hour >= 1; hour--) {
            older.add(BackupNames.name(source.name(), "0.9.0", NOON.minusSeconds(3600L * hour)));
        }
        String otherBackup = BackupNames.name(other.name(), "1.0.0", NOON.minusSeconds(99_999));
        for (String name : concat(older, List.of(current, otherBackup))) {
            execute(admin, "CREATE DATABASE " + name);
        }

        TemplateCloner cloner = new TemplateCloner(admin);
        TemplateCloner.Pruned keepTwo = cloner.prune(current, 2);

        // The newest other backup (1 h before noon) stays with the current one; the current is kept although older.
        assertThat(keepTwo.dropped()).containsExactlyInAnyOrder(older.get(0), older.get(1));
        assertThat(keepTwo.notDropped()).isEmpty();
        assertThat(databases(admin)).contains(current, older.get(2), otherBackup)
                .doesNotContain(older.get(0), older.get(1));

        assertThat(cloner.prune(current, 1).dropped()).containsExactly(older.get(2));
        assertThat(databases(admin)).contains(current, otherBackup, source.name());
    }

    @Test
    void aRestoreSwapsTheBackupInRowByRowKeepsTheFailedDatabaseAndResumesAfterACrash() {
        LocalPostgres.Database source = SampleSchema.freshDatabase();
        source.execute("INSERT INTO customers (email, name) SELECT 'r' || i || '@example.com', 'R' || i"
                + " FROM generate_series(1, 40) i");
        DbConnection admin = server.adminConnection().onDatabase(source.name());
        TemplateCloner cloner = new TemplateCloner(admin);
        String backup = backupName(source);
        String query = "SELECT id, email, name, created_at FROM customers ORDER BY id";
        List<String> before = rows(source.connection(), query);
        cloner.cloneTo(backup);
        // A hop that committed, then failed: its migration changed schema and rows.
        source.execute("ALTER TABLE customers ADD COLUMN tier int", "UPDATE customers SET name = 'changed'",
                "DELETE FROM orders");
        String failed = BackupNames.failedName(source.name(), NOON);

        assertThat(cloner.restoreFrom(source.name(), backup, failed)).isEqualTo(TemplateCloner.Restore.SWAPPED);

        assertThat(rows(source.connection(), query)).hasSize(41).isEqualTo(before);
        assertThat(rows(source.connection(), "SELECT count(*) FROM orders")).containsExactly("1");
        assertThat(PgSchemaReader.read(source.connection(), List.of("public"))).isEqualTo(SampleSchema.snapshot(source));
        assertThat(rows(admin.onDatabase(failed), "SELECT DISTINCT name FROM customers")).containsExactly("changed");
        assertThat(databases(admin)).contains(source.name(), failed).doesNotContain(backup);
        // Retention never takes the failed database for a backup.
        assertThat(BackupNames.isBackup(BackupNames.prefix(source.name()), failed)).isFalse();
        assertThat(cloner.prune(BackupNames.name(source.name(), "9.9.9", NOON), 1).dropped()).doesNotContain(failed);

        // A crash after the swap, before its checkpoint: the run again sees the names swapped and changes nothing.
        assertThat(cloner.restoreFrom(source.name(), backup, failed)).isEqualTo(TemplateCloner.Restore.ALREADY_SWAPPED);
        assertThat(rows(source.connection(), query)).isEqualTo(before);
    }

    @Test
    void aRestoreThatCannotRenameBothRenamesNeitherAndNamesTheSession() throws SQLException {
        LocalPostgres.Database source = SampleSchema.freshDatabase();
        DbConnection admin = server.adminConnection().onDatabase(source.name());
        TemplateCloner cloner = new TemplateCloner(admin);
        String backup = backupName(source);
        cloner.cloneTo(backup);
        String failed = BackupNames.failedName(source.name(), NOON.plusSeconds(1));
        // The first rename (of the source) succeeds inside the transaction; the second meets this session.
        try (Connection someone = source.connection().onDatabase(backup).open()) {
            someone.createStatement().execute("SET application_name = 'psql'");

            assertThatThrownBy(() -> cloner.restoreFrom(source.name(), backup, failed))
                    .isInstanceOfSatisfying(DatabaseException.class, e -> assertThat(e.getMessage())
                            .contains("other sessions are connected", "of role " + source.user(),
                                    "application_name psql", "nothing was renamed").doesNotContain("\n"));
        }
        assertThat(databases(admin)).contains(source.name(), backup).doesNotContain(failed);

        assertThat(cloner.restoreFrom(source.name(), backup, failed)).isEqualTo(TemplateCloner.Restore.SWAPPED);
    }

    @Test
    void namesAreValidIdentifiersForTheLongestAndOddestDatabaseNames() {
        String longest = "Shop-Production_" + "x".repeat(47);
        assertThat(longest).hasSize(63);
        LocalPostgres.Database source = SampleSchema.freshDatabase();
        DbConnection admin = server.adminConnection().onDatabase(source.name());
        execute(admin, "CREATE DATABASE \"" + longest + "\"");
        DbConnection odd = admin.onDatabase(longest);
        String backup = BackupNames.name(longest, "10.20.300-rc.1+build.7", NOON);

        assertThat(backup).matches("[a-z0-9_]+").hasSizeLessThanOrEqualTo(BackupNames.MAX_IDENTIFIER_BYTES)
                .endsWith("_20261205120000");
        assertThat(BackupNames.isBackup(BackupNames.prefix(longest), backup)).isTrue();
        assertThat(BackupNames.prefix(longest)).isNotEqualTo(BackupNames.prefix(longest.replace("xx", "xy")));
        assertThat(BackupNames.isBackup(BackupNames.prefix("shop"), BackupNames.name("shop2", "1.0.0", NOON))).isFalse();
        assertThat(BackupNames.name("shop", "1.2.0", NOON)).isEqualTo("shop_slipway_1_2_0_20261205120000");

        new TemplateCloner(odd).cloneTo(backup);

        assertThat(databases(admin)).contains(backup);
    }

    @Test
    void aSessionOnTheSourceStopsTheCopyAndIsNamed() throws SQLException {
        LocalPostgres.Database source = server.createDatabase("busy");
        DbConnection admin = server.adminConnection().onDatabase(source.name());
        TemplateCloner cloner = new TemplateCloner(admin);
        String backup = backupName(source);
        try (Connection application = source.open()) {
            application.createStatement().execute("SET application_name = 'shop-web'");

            assertThatThrownBy(() -> cloner.cloneTo(backup)).isInstanceOfSatisfying(DatabaseException.class, e ->
                    assertThat(e.getMessage()).contains("other sessions are connected", "of role " + source.user(),
                            "application_name shop-web", "spec.database.applicationRoles").doesNotContain("\n"));
        }
        assertThat(databases(admin)).doesNotContain(backup);
    }

    @Test
    void theAdminRoleNeedsCreatedbAndTheDatabase() {
        LocalPostgres.Database source = server.createDatabase("plain");
        assertThat(new TemplateCloner(source.connection()).missingPrivilege()).hasValueSatisfying(why ->
                assertThat(why).contains("role " + source.user() + " lacks CREATEDB"));

        LocalPostgres.Role creator = server.createRole("creator", "CREATEDB");
        execute(server.adminConnection().onDatabase(source.name()),
                "GRANT CONNECT ON DATABASE " + source.name() + " TO " + creator.name());
        DbConnection notOwner = new DbConnection(source.jdbcUrl(), creator.name(), creator.password());
        assertThat(new TemplateCloner(notOwner).missingPrivilege()).hasValueSatisfying(why ->
                assertThat(why).contains("neither superuser nor a member of " + source.user()));

        assertThat(new TemplateCloner(server.adminConnection().onDatabase(source.name())).missingPrivilege()).isEmpty();
    }

    @Test
    void anotherDatabaseOfTheSameServerKeepsEverythingButTheDatabaseName() {
        DbConnection connection = new DbConnection("jdbc:postgresql://db.example.com:5433/shop?sslmode=require&password=s3cret",
                "admin", null);
        assertThat(connection.onDatabase("postgres")).isEqualTo(new DbConnection(
                "jdbc:postgresql://db.example.com:5433/postgres?sslmode=require", "admin", "s3cret"));
        assertThat(new DbConnection("jdbc:postgresql://h1:5432,h2:5432/shop", "a", "b").onDatabase("x y").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5432/x%20y");
        assertThat(new DbConnection("jdbc:postgresql://localhost?ssl=true", "a", "b").onDatabase("postgres").jdbcUrl())
                .isEqualTo("jdbc:postgresql://localhost/postgres?ssl=true");
        assertThat(new DbConnection("jdbc:postgresql:shop", "a", "b").onDatabase("postgres").jdbcUrl())
                .isEqualTo("jdbc:postgresql:postgres");
    }

    @Test
    void storedSettingValuesBecomeSqlThatStoresThemUnchanged() {
        assertThat(TemplateCloner.settingValue("statement_timeout", "5s")).isEqualTo("'5s'");
        assertThat(TemplateCloner.settingValue("application_name", "it's")).isEqualTo("'it''s'");
        assertThat(TemplateCloner.settingValue("search_path", "\"$user\", public, \"a\"\"b, c\""))
                .isEqualTo("'$user', 'public', 'a\"b, c'");
    }

    private static String backupName(LocalPostgres.Database source) {
        return BackupNames.name(source.name(), "1.0." + BACKUPS.incrementAndGet(), NOON);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<String> databases(DbConnection database) {
        return rows(database, "SELECT datname FROM pg_database");
    }
}
