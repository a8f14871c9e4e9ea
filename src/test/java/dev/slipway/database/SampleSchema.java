package dev.slipway.database;

import dev.slipway.demo.LocalPostgres;
import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.testing.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** A small application schema with one of each kind of object, and helpers to snapshot databases that hold it. */
final class SampleSchema {

    static final String DDL = """
            CREATE EXTENSION citext;
            CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');
            CREATE SEQUENCE invoice_numbers AS bigint START WITH 1000 INCREMENT BY 5;
            CREATE TABLE customers (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                email text NOT NULL UNIQUE,
                name text,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE orders (
                id serial PRIMARY KEY,
                customer_id bigint NOT NULL REFERENCES customers (id),
                status mood NOT NULL DEFAULT 'ok',
                total numeric(10, 2) NOT NULL CHECK (total >= 0),
                total_with_tax numeric GENERATED ALWAYS AS (total * 1.2) STORED,
                invoice bigint DEFAULT nextval('invoice_numbers')
            );
            CREATE INDEX orders_customer_idx ON orders (customer_id);
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.created_at := now();
                RETURN NEW;
            END $$;
            CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
            INSERT INTO customers (email, name) VALUES ('ada@example.com', 'Ada');
            INSERT INTO orders (customer_id, total) VALUES (1, 150);
            """;

    private static LocalPostgres.Database template;
    private static SchemaSnapshot snapshot;

    private SampleSchema() {
    }

    /** A fresh database holding the sample schema and a little data. */
    static synchronized LocalPostgres.Database freshDatabase() {
        if (template == null) {
            template = PostgresServer.get().createDatabase("sample_template");
            template.execute(DDL);
        }
        return PostgresServer.get().copyOf(template, "sample");
    }

    /** The snapshot of an untouched sample database. */
    static synchronized SchemaSnapshot expectedSnapshot() {
        if (snapshot == null) {
            snapshot = snapshot(freshDatabase());
        }
        return snapshot;
    }

    static SchemaSnapshot snapshot(LocalPostgres.Database database) {
        try (Connection connection = database.open()) {
            return PgSchemaReader.read(connection, List.of("public"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
