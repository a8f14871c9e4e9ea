package dev.slipway.database;

import dev.slipway.demo.LocalPostgres;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.migration.MigrationEntry;
import dev.slipway.core.migration.MigrationStatus;
import dev.slipway.database.DatabaseException.Kind;
import dev.slipway.database.FlywayMigrator.MigrationRun;
import dev.slipway.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlywayMigratorTest {

    @TempDir
    Path migrations;

    private final LocalPostgres.Database database = PostgresServer.get().createDatabase("flyway");

    @Test
    void migratesUpToTheTargetAndReportsEachMigrationAsItRuns() throws IOException {
        writeStandardMigrations();
        List<String> reported = new ArrayList<>();
        FlywayMigrator migrator = new FlywayMigrator(database.connection(), migrations);

        MigrationRun first = migrator.migrate("2", migration -> reported.add(migration.version()));

        assertThat(first.fromVersion()).isNull();
        assertThat(first.toVersion()).isEqualTo("2");
        assertThat(first.applied()).extracting(MigrationEntry::script)
                .containsExactly("V1__create_customers.sql", "V2__add_customer_name.sql");
        assertThat(reported).containsExactly("1", "2");
        MigrationStatus status = migrator.info();
        assertThat(status.currentVersion()).isEqualTo("2");
        assertThat(status.pending()).extracting(MigrationEntry::label).containsExactly("3 (create orders)");
        assertThat(status.isValid()).isTrue();
        assertThat(migrator.validate()).isEmpty();

        MigrationRun rest = migrator.migrate(null, migration -> reported.add(migration.version()));

        assertThat(rest.fromVersion()).isEqualTo("2");
        assertThat(rest.toVersion()).isEqualTo("3");
        assertThat(reported).containsExactly("1", "2", "3");
        assertThat(migrator.info().pending()).isEmpty();
    }

    @Test
    void namedSchemasHoldTheMigrationsAndTheHistory() throws IOException {
        writeStandardMigrations();
        new FlywayMigrator(database.connection(), migrations).inSchemas(List.of("shop")).migrate(null, migration -> {
        });

        assertThat(database.relationExists("shop.flyway_schema_history")).isTrue();
        assertThat(database.relationExists("public.flyway_schema_history")).isFalse();
        assertThat(new FlywayMigrator(database.connection(), migrations).inSchemas(List.of("shop")).info()
                .currentVersion()).isEqualTo("3");
    }

    @Test
    void aFailingMigrationLeavesNoneOfTheRunApplied() throws IOException {
        write("V1__create_customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);");
        write("V2__broken.sql", "ALTER TABLE no_such_table ADD COLUMN name text;");
        FlywayMigrator migrator = new FlywayMigrator(database.connection(), migrations);

        assertThatThrownBy(() -> migrator.migrate(null, ignored -> { }))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.MIGRATION_FAILED);
                    assertThat(e.migration().version()).isEqualTo("2");
                    assertThat(e.getMessage()).contains("migration 2 (broken) failed", "relation \"no_such_table\" does not exist")
                            .doesNotContain("\n", "ALTER TABLE", database.password());
                });

        MigrationStatus status = migrator.info();
        assertThat(status.applied()).isEmpty();
        assertThat(status.pending()).hasSize(2);
        assertThat(database.relationExists("public.customers")).isFalse();
    }

    @Test
    void aChangedAppliedMigrationIsAChecksumMismatchAndStopsTheNextRun() throws IOException {
        writeStandardMigrations();
        FlywayMigrator migrator = new FlywayMigrator(database.connection(), migrations);
        migrator.migrate("1", ignored -> { });
        write("V1__create_customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, extra int);");

        MigrationStatus status = migrator.info();

        assertThat(status.checksumMismatch()).extracting(MigrationEntry::version).containsExactly("1");
        assertThat(status.isValid()).isFalse();
        assertThat(migrator.validate()).singleElement().asString().startsWith("1 (create customers): ")
                .containsIgnoringCase("checksum mismatch");
        assertThatThrownBy(() -> migrator.migrate(null, ignored -> { }))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_HISTORY);
                    assertThat(e.getMessage()).contains("checksum mismatch", "1 (create customers)");
                });
        assertThat(migrator.info().pending()).hasSize(2);
    }

    @Test
    void aFailedMigrationInTheHistoryIsReportedAndStopsTheNextRun() throws IOException {
        writeStandardMigrations();
        FlywayMigrator migrator = new FlywayMigrator(database.connection(), migrations);
        migrator.migrate("1", ignored -> { });
        // What a non-transactional migration that broke halfway leaves behind.
        database.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                + " checksum, installed_by, execution_time, success) VALUES (2, '2', 'add customer name', 'SQL',"
                + " 'V2__add_customer_name.sql', 0, current_user, 5, false)");

        MigrationStatus status = migrator.info();

        assertThat(status.failed()).extracting(MigrationEntry::version).containsExactly("2");
        assertThatThrownBy(() -> migrator.migrate(null, ignored -> { }))
                .isInstanceOfSatisfying(DatabaseException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_HISTORY));
    }

    @Test
    void appliedMigrationsMissingFromTheFilesAreUnknownApplied() throws IOException {
        writeStandardMigrations();
        new FlywayMigrator(database.connection(), migrations).migrate(null, ignored -> { });
        Files.delete(migrations.resolve("V3__create_orders.sql"));

        MigrationStatus status = new FlywayMigrator(database.connection(), migrations).info();

        assertThat(status.unknownApplied()).extracting(MigrationEntry::version).containsExactly("3");
        assertThat(status.isValid()).isFalse();
        assertThatThrownBy(() -> new FlywayMigrator(database.connection(), migrations).migrate(null, ignored -> { }))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_HISTORY);
                    assertThat(e.getMessage()).contains("applied but not in the migration files: 3");
                });
    }

    @Test
    void aTargetWithoutAFileIsRefusedBeforeAnythingRuns() throws IOException {
        writeStandardMigrations();
        FlywayMigrator migrator = new FlywayMigrator(database.connection(), migrations);

        assertThatThrownBy(() -> migrator.migrate("9", ignored -> { }))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TARGET_NOT_FOUND);
                    assertThat(e.getMessage()).contains("target schema version 9");
                });
        assertThat(migrator.info().applied()).isEmpty();
    }

    @Test
    void aWrongPasswordIsAConnectionFailureThatDoesNotEchoThePassword() throws IOException {
        writeStandardMigrations();
        DbConnection wrong = new DbConnection(database.jdbcUrl(), database.user(), "s3cret-wrong-password");

        assertThatThrownBy(() -> new FlywayMigrator(wrong, migrations).info())
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONNECTION_FAILED);
                    assertThat(e.getMessage()).contains("password authentication failed", database.user())
                            .doesNotContain("s3cret-wrong-password", "\n");
                });
    }

    @Test
    void aSecondMigratorWaitsForTheAdvisoryLockThenGivesUpClearly() throws Exception {
        write("V1__slow.sql", "CREATE TABLE slow (id int); SELECT pg_sleep(4);");
        FlywayMigrator first = new FlywayMigrator(database.connection(), migrations);
        FlywayMigrator impatient = new FlywayMigrator(database.connection(), migrations, Duration.ofSeconds(1));
        CompletableFuture<String> started = new CompletableFuture<>();
        CompletableFuture<MigrationRun> running = CompletableFuture.supplyAsync(
                () -> first.migrate(null, migration -> started.complete(migration.version())));
        started.get();

        assertThatThrownBy(() -> impatient.migrate(null, ignored -> { }))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.LOCK_TIMEOUT);
                    assertThat(e.getMessage()).contains("another migrator is running");
                });
        assertThat(running.get().applied()).hasSize(1);
        assertThat(first.info().applied()).hasSize(1);
    }

    @Test
    void aConnectionKilledMidMigrationRollsTheRunBack() throws Exception {
        write("V1__create_customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);");
        write("V2__slow.sql", "SELECT pg_sleep(5);");
        FlywayMigrator migrator = new FlywayMigrator(database.connection(), migrations);
        CompletableFuture<String> slowStarted = new CompletableFuture<>();
        CompletableFuture<MigrationRun> running = CompletableFuture.supplyAsync(() -> migrator.migrate(null,
                migration -> {
                    if (migration.version().equals("2")) {
                        slowStarted.complete(migration.version());
                    }
                }));
        slowStarted.get();
        Thread.sleep(300); // into pg_sleep

        PostgresServer.get().terminateConnections(database.name());

        assertThatThrownBy(running::join).cause().isInstanceOfSatisfying(DatabaseException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.CONNECTION_FAILED);
            assertThat(e.getMessage()).contains("during migration 2 (slow)", "rolled the run back");
        });
        assertThat(migrator.info().applied()).isEmpty();
        assertThat(database.relationExists("public.customers")).isFalse();
    }

    @Test
    void aReadOnlyRoleCanReadTheHistory() throws IOException {
        writeStandardMigrations();
        new FlywayMigrator(database.connection(), migrations).migrate("2", ignored -> { });
        DbConnection readOnly = PostgresServer.get().createReadOnlyRole(database, "public");

        MigrationStatus status = new FlywayMigrator(readOnly, migrations).info();

        assertThat(status.currentVersion()).isEqualTo("2");
        assertThat(status.pending()).extracting(MigrationEntry::version).containsExactly("3");
    }

    private void writeStandardMigrations() throws IOException {
        write("V1__create_customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);");
        write("V2__add_customer_name.sql", "ALTER TABLE customers ADD COLUMN name text;");
        write("V3__create_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);");
    }

    private void write(String file, String sql) throws IOException {
        Files.writeString(migrations.resolve(file), sql);
    }
}
