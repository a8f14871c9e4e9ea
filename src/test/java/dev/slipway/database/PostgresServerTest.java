package dev.slipway.database;

import dev.slipway.demo.LocalPostgres;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.testing.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    private final LocalPostgres server = PostgresServer.get();

    @Test
    void createdDatabasesAreSeparateAndOwnedByTheirRole() throws SQLException {
        LocalPostgres.Database first = server.createDatabase("harness");
        LocalPostgres.Database second = server.createDatabase("harness");
        first.execute("CREATE TABLE only_in_first (id int)");

        try (Connection connection = second.open(); var result = connection.createStatement()
                .executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'")) {
            result.next();
            assertThat(result.getInt(1)).isZero();
        }
        assertThat(first.name()).isNotEqualTo(second.name());
    }

    @Test
    void wrongPasswordIsRefused() {
        LocalPostgres.Database database = server.createDatabase("harness");
        DbConnection wrong = new DbConnection(database.jdbcUrl(), database.user(), "not-the-password");

        assertThatThrownBy(wrong::open).isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }

    @Test
    void readOnlyRoleCannotWrite() {
        LocalPostgres.Database database = server.createDatabase("harness");
        database.execute("CREATE TABLE items (id int)");
        DbConnection readOnly = server.createReadOnlyRole(database, "public");

        assertThatThrownBy(() -> {
            try (Connection connection = readOnly.open()) {
                connection.createStatement().execute("INSERT INTO items VALUES (1)");
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining("read-only");
    }

    @Test
    void terminatedSessionsAreGone() throws SQLException {
        LocalPostgres.Database database = server.createDatabase("harness");
        try (Connection victim = database.open()) {
            assertThat(server.terminateConnections(database.name())).isEqualTo(1);
            assertThatThrownBy(() -> victim.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void restartCutsSessionsAndTheServerComesBack() throws SQLException {
        LocalPostgres.Database database = server.createDatabase("harness");
        try (Connection before = database.open()) {
            server.restart();

            assertThatThrownBy(() -> before.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
        try (Connection after = database.open(); var result = after.createStatement().executeQuery("SELECT 1")) {
            assertThat(result.next()).isTrue();
        }
    }

    @Test
    void connectionDetailsNeverPrintThePassword() {
        DbConnection connection = new DbConnection("jdbc:postgresql://db:5432/app?user=app&password=hunter2&ssl=true",
                "app", "s3cret");

        DbConnection fromUrlOnly = new DbConnection("jdbc:postgresql://db:5432/app?password=hunter%232&ssl=true", "app", null);

        assertThat(connection.toString()).doesNotContain("hunter2", "s3cret");
        assertThat(connection.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?user=app&ssl=true");
        assertThat(connection.password()).isEqualTo("s3cret");
        assertThat(fromUrlOnly.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?ssl=true");
        assertThat(fromUrlOnly.password()).isEqualTo("hunter#2");
        assertThatThrownBy(() -> new DbConnection("jdbc:mysql://db/app?password=hunter2", "app", "s3cret"))
                .hasMessageContaining("not a PostgreSQL JDBC URL").hasMessageNotContaining("hunter2");
    }
}
