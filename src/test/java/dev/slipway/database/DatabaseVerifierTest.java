package dev.slipway.database;

import dev.slipway.demo.LocalPostgres;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.migration.MigrationEntry;
import dev.slipway.core.migration.VerificationReport;
import dev.slipway.core.schema.DriftCategory;
import dev.slipway.core.schema.DriftFinding;
import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseVerifierTest {

    @TempDir
    Path migrations;

    private SchemaSnapshot expected;
    private LocalPostgres.Database installed;

    /** A vendor release: its migrations, and the snapshot of a database they built. */
    @BeforeEach
    void installVersionTwo() throws IOException {
        Files.writeString(migrations.resolve("V1__customers.sql"),
                "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);");
        Files.writeString(migrations.resolve("V2__customer_email_index.sql"),
                "CREATE INDEX customers_email_idx ON customers (email);");
        LocalPostgres.Database reference = PostgresServer.get().createDatabase("vendor");
        new FlywayMigrator(reference.connection(), migrations).migrate(null, ignored -> { });
        expected = PgSchemaReader.read(reference.connection(), List.of("public"));
        installed = PostgresServer.get().createDatabase("installed");
        new FlywayMigrator(installed.connection(), migrations).migrate(null, ignored -> { });
    }

    @Test
    void aDatabaseBuiltByTheReleasesMigrationsIsCleanThroughAReadOnlyRole() {
        DbConnection readOnly = PostgresServer.get().createReadOnlyRole(installed, "public");

        VerificationReport report = DatabaseVerifier.verify(readOnly, migrations, expected);

        assertThat(report.clean()).isTrue();
        assertThat(report.blocking()).isFalse();
        assertThat(report.migrations().currentVersion()).isEqualTo("2");
    }

    @Test
    void driftAndAFailedMigrationAreReportedAndBlock() {
        installed.execute("DROP INDEX customers_email_idx", "ALTER TABLE customers ALTER COLUMN email TYPE varchar(80)",
                "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                        + " installed_by, execution_time, success) VALUES (3, '3', 'half done', 'SQL', 'V3__half_done.sql',"
                        + " 0, current_user, 1, false)");
        DbConnection readOnly = PostgresServer.get().createReadOnlyRole(installed, "public");

        VerificationReport report = DatabaseVerifier.verify(readOnly, migrations, expected);

        assertThat(report.blocking()).isTrue();
        assertThat(report.migrations().failed()).extracting(MigrationEntry::version).containsExactly("3");
        assertThat(report.findings()).extracting(DriftFinding::category)
                .containsExactly(DriftCategory.COLUMN_TYPE, DriftCategory.MISSING_INDEX);
    }

    @Test
    void anUnreachableDatabaseIsAConnectionFailure() {
        DbConnection nowhere = new DbConnection("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "someone", "pw");

        assertThatThrownBy(() -> DatabaseVerifier.verify(nowhere, migrations, expected))
                .isInstanceOfSatisfying(DatabaseException.class,
                        e -> assertThat(e.kind()).isEqualTo(DatabaseException.Kind.CONNECTION_FAILED));
    }
}
