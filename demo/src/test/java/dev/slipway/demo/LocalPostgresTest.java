package dev.slipway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.database.DbConnection;
import dev.slipway.database.FlywayMigrator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throwaway PostgreSQL of the demo (and, through PostgresServer, of the tests). */
class LocalPostgresTest {

    private static LocalPostgres postgres;

    @BeforeAll
    static void launch() {
        postgres = LocalPostgres.launch();
    }

    @AfterAll
    static void close() {
        postgres.close();
    }

    @Test
    void eachDatabaseBelongsToItsOwnRoleOnLoopback() throws SQLException {
        LocalPostgres.Database shop = postgres.createDatabase("shop");
        shop.execute("CREATE TABLE orders (id bigint PRIMARY KEY)");

        assertThat(shop.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
        assertThat(shop.relationExists("public.orders")).isTrue();
        assertThat(postgres.createDatabase("shop").name()).isNotEqualTo(shop.name());
        try (Connection connection = shop.open(); Statement statement = connection.createStatement();
             var owner = statement.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database "
                     + "WHERE datname = current_database()")) {
            owner.next();
            assertThat(owner.getString(1)).isEqualTo(shop.user());
        }
    }

    @Test
    void aReadOnlyRoleReadsButCannotWrite() throws SQLException {
        LocalPostgres.Database shop = postgres.createDatabase("readonly");
        shop.execute("CREATE TABLE orders (id bigint PRIMARY KEY)", "INSERT INTO orders VALUES (1)");
        DbConnection reader = postgres.createReadOnlyRole(shop, "public");

        try (Connection connection = reader.open(); Statement statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("SELECT count(*) FROM orders")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
            assertThatThrownBy(() -> statement.execute("INSERT INTO orders VALUES (2)"))
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void restartCutsOpenSessionsAndKeepsTheData() throws SQLException {
        LocalPostgres.Database shop = postgres.createDatabase("restart");
        shop.execute("CREATE TABLE orders (id bigint PRIMARY KEY)");
        try (Connection before = shop.open()) {
            postgres.restart();

            assertThatThrownBy(() -> before.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertThat(shop.relationExists("public.orders")).isTrue();
    }

    @Test
    void terminateConnectionsEndsEverySessionOfThatDatabase() throws SQLException {
        LocalPostgres.Database shop = postgres.createDatabase("terminate");
        try (Connection session = shop.open()) {
            assertThat(postgres.terminateConnections(shop.name())).isEqualTo(1);
            assertThatThrownBy(() -> session.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void closingStopsTheServer() {
        LocalPostgres other = LocalPostgres.launch();
        DbConnection admin = other.adminConnection();

        other.close();

        assertThatThrownBy(() -> admin.open().close()).isInstanceOf(SQLException.class);
    }

    @Test
    void anExistingServerCannotBeStoppedOrRestarted() {
        LocalPostgres existing = LocalPostgres.existing(postgres.adminConnection());

        assertThatThrownBy(existing::restart).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("existing server");
        assertThatThrownBy(existing::stop).isInstanceOf(UnsupportedOperationException.class);
        assertThat(existing.createDatabase("existing").relationExists("pg_catalog.pg_class")).isTrue();
    }

    @Test
    void installedBinariesArePreferredWhenPresent() throws SQLException {
        Path installed = PostgresBinaries.installed(PostgresBinaries.configuredHome()).orElse(null);
        Assumptions.assumeTrue(installed != null, "no PostgreSQL installed under " + PostgresBinaries.configuredHome());

        assertThat(binariesOf(postgres)).isEqualTo(installed);
    }

    @Test
    void withoutAnInstallationTheClusterRunsFromTheEmbeddedBinaries(@TempDir Path noInstallation,
            @TempDir Path migrations) throws IOException, SQLException {
        Files.writeString(migrations.resolve("V1__create_orders.sql"),
                "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10, 2) NOT NULL);");
        Files.writeString(migrations.resolve("V2__add_currency.sql"),
                "ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR';");

        try (LocalPostgres embedded = LocalPostgres.launch(noInstallation)) {
            assertThat(binariesOf(embedded).getParent().getFileName().toString())
                    .startsWith(PostgresBinaries.UNPACKED_PREFIX);
            LocalPostgres.Database shop = embedded.createDatabase("embedded");
            List<String> applied = new ArrayList<>();
            new FlywayMigrator(shop.connection(), migrations).migrate(null, migration -> applied.add(migration.version()));
            shop.execute("INSERT INTO orders (id, total) VALUES (1, 9.50), (2, 0.50)");

            assertThat(applied).containsExactly("1", "2");
            try (Connection connection = shop.open(); Statement statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT sum(total), min(currency) FROM orders")) {
                rows.next();
                assertThat(rows.getBigDecimal(1)).isEqualByComparingTo("10.00");
                assertThat(rows.getString(2)).isEqualTo("EUR");
            }
        }
    }

    /** The bin directory of the running server's own programs, as the server reports it. */
    private static Path binariesOf(LocalPostgres server) throws SQLException {
        try (Connection connection = server.adminConnection().open(); Statement statement = connection.createStatement();
             var bindir = statement.executeQuery("SELECT setting FROM pg_config WHERE name = 'BINDIR'")) {
            bindir.next();
            return Path.of(bindir.getString(1));
        }
    }
}
