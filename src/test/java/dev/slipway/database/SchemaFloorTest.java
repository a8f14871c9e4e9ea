package dev.slipway.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.database.SchemaFloor.Entry;
import dev.slipway.demo.LocalPostgres;
import dev.slipway.testing.PostgresServer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaFloorTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final LocalPostgres.Database database = PostgresServer.get().createDatabase("floor");

    @Test
    void aDatabaseWithoutTheTableHasNoFloor() {
        assertThat(new SchemaFloor(database.connection(), List.of()).current()).isEmpty();
        assertThat(database.relationExists("public." + SchemaFloor.TABLE)).isFalse();
    }

    @Test
    void theNewestPhaseSetsTheFloorAndARepeatedWriteAddsNothing() {
        database.execute("CREATE SCHEMA shop");
        SchemaFloor floor = new SchemaFloor(database.connection(), List.of("shop"));
        Entry expand = new Entry("1.0.0", "1.1.0", "expand", "11", T0);
        Entry contract = new Entry("1.1.0", "1.1.0", "contract", "12", T0.plusSeconds(60));

        floor.record(expand);
        floor.record(new Entry("1.0.0", "1.1.0", "expand", "11", T0.plusSeconds(5)));
        assertThat(floor.current()).contains(expand);
        floor.record(contract);

        assertThat(floor.current()).contains(contract);
        assertThat(database.relationExists("shop." + SchemaFloor.TABLE)).isTrue();
        assertThat(new SchemaFloor(database.connection(), List.of()).current()).isEmpty();
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void theFloorTableIsNotApplicationSchemaForDriftChecks() {
        database.execute("CREATE TABLE customers (id bigint PRIMARY KEY)");
        new SchemaFloor(database.connection(), List.of()).record(new Entry("1.0.0", "1.1.0", "expand", "2", T0));

        assertThat(PgSchemaReader.read(database.connection(), List.of("public")).tables())
                .extracting(table -> table.name()).containsExactly("public.customers");
    }

    private int rows() {
        try (var connection = database.open(); var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT count(*) FROM shop." + SchemaFloor.TABLE)) {
            result.next();
            return result.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
