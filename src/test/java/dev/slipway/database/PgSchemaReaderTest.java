package dev.slipway.database;

import dev.slipway.demo.LocalPostgres;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.core.schema.Table;
import dev.slipway.testing.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgSchemaReaderTest {

    @Test
    void snapshotSurvivesAWriteReadWriteRoundTripByteForByte() {
        SchemaSnapshot snapshot = SampleSchema.snapshot(SampleSchema.freshDatabase());

        byte[] written = SnapshotJson.writeBytes(snapshot);
        SchemaSnapshot reread = SnapshotJson.read(new String(written, java.nio.charset.StandardCharsets.UTF_8));

        assertThat(reread).isEqualTo(snapshot);
        assertThat(SnapshotJson.writeBytes(reread)).isEqualTo(written);
    }

    @Test
    void equalSchemasGiveByteIdenticalSnapshotsWhateverTheSessionSearchPath() throws SQLException {
        LocalPostgres.Database first = SampleSchema.freshDatabase();
        LocalPostgres.Database second = SampleSchema.freshDatabase();
        second.execute("CREATE SCHEMA elsewhere", "ALTER ROLE " + second.user() + " SET search_path = elsewhere, public");

        String firstText = SnapshotJson.write(SampleSchema.snapshot(first));
        String secondText;
        try (Connection connection = second.open()) {
            connection.createStatement().execute("SET search_path = public, elsewhere");
            secondText = SnapshotJson.write(PgSchemaReader.read(connection, List.of("public")));
        }

        assertThat(secondText).isEqualTo(firstText);
    }

    @Test
    void snapshotDescribesEveryKindOfObjectAndLeavesFlywayHistoryOut() {
        LocalPostgres.Database database = SampleSchema.freshDatabase();
        database.execute("CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY)");

        SchemaSnapshot snapshot = SampleSchema.snapshot(database);

        assertThat(snapshot.extensions()).extracting(SchemaSnapshot.Extension::name).contains("citext", "plpgsql");
        assertThat(snapshot.enums()).containsExactly(new SchemaSnapshot.EnumType("public.mood", List.of("happy", "ok", "sad")));
        assertThat(snapshot.sequences()).extracting(SchemaSnapshot.Sequence::name)
                .containsExactly("public.invoice_numbers", "public.orders_id_seq");
        assertThat(snapshot.functions()).extracting(SchemaSnapshot.SqlFunction::signature).containsExactly("public.touch()");
        assertThat(snapshot.views()).extracting(SchemaSnapshot.View::name).containsExactly("public.big_orders");
        assertThat(snapshot.tables()).extracting(Table::name).containsExactly("public.customers", "public.orders");
        Table customers = snapshot.tables().get(0);
        assertThat(customers.columns()).contains(
                new Table.Column("id", "bigint", false, null, "ALWAYS", null),
                new Table.Column("created_at", "timestamp with time zone", false, "now()", null, null));
        assertThat(customers.indexes()).extracting(Table.Index::name, Table.Index::primary, Table.Index::constraint)
                .contains(org.assertj.core.groups.Tuple.tuple("customers_pkey", true, "customers_pkey"));
        assertThat(customers.triggers()).extracting(Table.Trigger::name).containsExactly("customers_touch");
        Table orders = snapshot.tables().get(1);
        assertThat(orders.columns()).contains(
                new Table.Column("status", "public.mood", false, "'ok'::public.mood", null, null),
                new Table.Column("total_with_tax", "numeric", true, null, null, "(total * 1.2)"));
        assertThat(orders.constraints()).extracting(Table.Constraint::name, Table.Constraint::type).contains(
                org.assertj.core.groups.Tuple.tuple("orders_customer_id_fkey", "FOREIGN KEY"),
                org.assertj.core.groups.Tuple.tuple("orders_total_check", "CHECK"));
    }

    @Test
    void aRoleWithoutWriteRightsCanTakeTheSnapshot() throws SQLException {
        LocalPostgres.Database database = SampleSchema.freshDatabase();
        DbConnection readOnly = PostgresServer.get().createReadOnlyRole(database, "public");

        SchemaSnapshot asReadOnly;
        try (Connection connection = readOnly.open()) {
            asReadOnly = PgSchemaReader.read(connection, List.of("public"));
        }

        assertThat(SnapshotJson.write(asReadOnly)).isEqualTo(SnapshotJson.write(SampleSchema.snapshot(database)));
    }

    @Test
    void aRoleAllowedOneConnectionGetsTheSameSnapshotReadOnThatOneConnection() throws SQLException {
        LocalPostgres.Database database = SampleSchema.freshDatabase();
        String expected = SnapshotJson.write(SampleSchema.snapshot(database));
        try (Connection admin = PostgresServer.get().adminConnection().open()) {
            admin.createStatement().execute("ALTER ROLE " + database.user() + " CONNECTION LIMIT 1");
        }

        SchemaSnapshot onOneConnection = PgSchemaReader.read(database.connection(), List.of("public"));

        assertThat(SnapshotJson.write(onOneConnection)).isEqualTo(expected);
        assertThat(onOneConnection.tables()).allSatisfy(table -> assertThat(table.indexes()).isNotEmpty());
    }
}
