package dev.slipway.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.upgrade.FirstInstall.DatabaseContents;
import dev.slipway.demo.LocalPostgres;
import dev.slipway.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseContentsReaderTest {

    private final LocalPostgres.Database database = PostgresServer.get().createDatabase("contents");

    @TempDir
    Path migrations;

    @Test
    void aFreshDatabaseIsEmpty() {
        DatabaseContents contents = DatabaseContentsReader.read(database.connection(), List.of(), 5);

        assertThat(contents).isEqualTo(DatabaseContents.empty());
    }

    @Test
    void aFlywayHistoryIsFoundWithItsVersion() throws Exception {
        Files.writeString(migrations.resolve("V1__orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY);");
        Files.writeString(migrations.resolve("V2__status.sql"), "ALTER TABLE orders ADD COLUMN status text;");
        new FlywayMigrator(database.connection(), migrations).migrate("2", migration -> {
        });

        DatabaseContents contents = DatabaseContentsReader.read(database.connection(), List.of(), 5);

        assertThat(contents.flywayHistory()).isTrue();
        assertThat(contents.historyVersion()).isEqualTo("2");
        assertThat(contents.objectNames()).as("Flyway's own table is not the application's").containsExactly("public.orders");
    }

    @Test
    void objectsWithoutHistoryAreCountedAndTheFirstNamedInTheManagedSchemasOnly() {
        database.execute("CREATE SCHEMA shop");
        database.execute("CREATE TABLE shop.customers (id serial PRIMARY KEY)");
        database.execute("CREATE VIEW shop.active AS SELECT id FROM shop.customers");
        database.execute("CREATE TYPE shop.mood AS ENUM ('ok', 'sad')");
        database.execute("CREATE FUNCTION shop.answer() RETURNS int LANGUAGE sql AS 'SELECT 42'");
        database.execute("CREATE TABLE public.elsewhere (id int)");

        DatabaseContents contents = DatabaseContentsReader.read(database.connection(), List.of("shop"), 3);

        assertThat(contents.flywayHistory()).isFalse();
        assertThat(contents.objectCount()).as("table, its sequence, view, enum, function").isEqualTo(5);
        assertThat(contents.objectNames()).containsExactly("shop.active", "shop.answer()", "shop.customers");
        assertThat(DatabaseContentsReader.read(database.connection(), List.of(), 5).objectNames())
                .containsExactly("public.elsewhere");
    }
}
