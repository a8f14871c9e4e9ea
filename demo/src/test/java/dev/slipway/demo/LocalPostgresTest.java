package dev.slipway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.database.DbConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
}
