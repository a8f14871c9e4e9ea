package dev.slipway.database;

import dev.slipway.demo.LocalPostgres;
import static dev.slipway.core.schema.DriftCategory.*;
import static dev.slipway.core.schema.Severity.BLOCKING;
import static dev.slipway.core.schema.Severity.FIXABLE;
import static dev.slipway.core.schema.Severity.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.schema.DriftAnalyzer;
import dev.slipway.core.schema.DriftCategory;
import dev.slipway.core.schema.DriftFinding;
import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.core.schema.Severity;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every drift category, produced by a real schema change: {@code expectedChange} is what the vendor's schema has on
 * top of the sample schema, {@code liveChange} what someone did to the live database. Where statements are suggested,
 * running them on the live database must make the drift disappear.
 */
class DriftDetectionTest {

    record Case(String name, String expectedChange, String liveChange, DriftCategory category, Severity severity,
            String firstStatement) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("extension not installed", "CREATE EXTENSION pg_trgm", "", MISSING_EXTENSION, FIXABLE,
                        "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"),
                new Case("admin installed an extension", "", "CREATE EXTENSION pg_trgm", EXTRA_EXTENSION, WARNING, null),
                new Case("extension at another version", "CREATE EXTENSION pg_trgm VERSION '1.6'",
                        "CREATE EXTENSION pg_trgm VERSION '1.5'", CHANGED_EXTENSION, WARNING,
                        "ALTER EXTENSION pg_trgm UPDATE TO '1.6'"),
                new Case("enum type missing", "CREATE TYPE priority AS ENUM ('low', 'high')", "", MISSING_ENUM, FIXABLE,
                        "CREATE TYPE public.priority AS ENUM ('low', 'high')"),
                new Case("extra enum type", "", "CREATE TYPE priority AS ENUM ('low', 'high')", EXTRA_ENUM, WARNING, null),
                new Case("enum label missing in the middle", "ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy'", "",
                        ENUM_MISSING_LABELS, FIXABLE, "ALTER TYPE public.mood ADD VALUE 'ecstatic' AFTER 'happy'"),
                new Case("enum label missing at the start", "ALTER TYPE mood ADD VALUE 'furious' BEFORE 'happy'", "",
                        ENUM_MISSING_LABELS, FIXABLE, "ALTER TYPE public.mood ADD VALUE 'furious' BEFORE 'happy'"),
                new Case("extra enum label", "", "ALTER TYPE mood ADD VALUE 'meh'", ENUM_EXTRA_LABELS, WARNING, null),
                new Case("enum labels in another order", "CREATE TYPE size AS ENUM ('s', 'm', 'l')",
                        "CREATE TYPE size AS ENUM ('m', 's', 'l')", ENUM_LABEL_ORDER, WARNING, null),
                new Case("function missing", "CREATE FUNCTION add_tax(numeric) RETURNS numeric LANGUAGE sql AS 'SELECT $1 * 1.2'",
                        "", MISSING_FUNCTION, FIXABLE, "CREATE OR REPLACE FUNCTION public.add_tax(numeric)"),
                new Case("extra function", "", "CREATE FUNCTION add_tax(numeric) RETURNS numeric LANGUAGE sql AS 'SELECT $1'",
                        EXTRA_FUNCTION, WARNING, null),
                new Case("function body changed",
                        "CREATE FUNCTION add_tax(numeric) RETURNS numeric LANGUAGE sql AS 'SELECT $1 * 1.2'",
                        "CREATE FUNCTION add_tax(numeric) RETURNS numeric LANGUAGE sql AS 'SELECT $1 * 1.25'",
                        CHANGED_FUNCTION, FIXABLE, "CREATE OR REPLACE FUNCTION public.add_tax(numeric)"),
                new Case("sequence missing", "CREATE SEQUENCE ticket_numbers AS integer START 10 INCREMENT 2", "",
                        MISSING_SEQUENCE, FIXABLE, "CREATE SEQUENCE public.ticket_numbers AS integer INCREMENT BY 2"
                                + " MINVALUE 1 MAXVALUE 2147483647 START WITH 10 NO CYCLE"),
                new Case("extra sequence", "", "CREATE SEQUENCE ticket_numbers", EXTRA_SEQUENCE, WARNING, null),
                new Case("sequence options changed", "", "ALTER SEQUENCE invoice_numbers INCREMENT BY 1 CYCLE",
                        CHANGED_SEQUENCE, WARNING, "ALTER SEQUENCE public.invoice_numbers AS bigint INCREMENT BY 5"),
                new Case("table missing", "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL DEFAULT '',"
                        + " created timestamptz DEFAULT now()); CREATE INDEX notes_created_idx ON notes (created)", "",
                        MISSING_TABLE, BLOCKING, "CREATE TABLE public.notes (\n    body text DEFAULT ''::text NOT NULL"),
                new Case("extra table", "", "CREATE TABLE admin_notes (id int)", EXTRA_TABLE, WARNING, null),
                new Case("column missing", "", "DROP VIEW big_orders; ALTER TABLE customers DROP COLUMN name;"
                        + " CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100",
                        MISSING_COLUMN, BLOCKING, "ALTER TABLE public.customers ADD COLUMN name text"),
                new Case("extra column", "", "ALTER TABLE customers ADD COLUMN nickname text", EXTRA_COLUMN, WARNING, null),
                new Case("column type changed", "", "ALTER TABLE customers ALTER COLUMN name TYPE varchar(50)",
                        COLUMN_TYPE, BLOCKING, null),
                new Case("column lost NOT NULL", "", "ALTER TABLE customers ALTER COLUMN email DROP NOT NULL",
                        COLUMN_NULLABILITY, FIXABLE, "ALTER TABLE public.customers ALTER COLUMN email SET NOT NULL"),
                new Case("column gained NOT NULL", "", "ALTER TABLE customers ALTER COLUMN name SET NOT NULL",
                        COLUMN_NULLABILITY, WARNING, "ALTER TABLE public.customers ALTER COLUMN name DROP NOT NULL"),
                new Case("column default missing", "", "ALTER TABLE customers ALTER COLUMN created_at DROP DEFAULT",
                        COLUMN_DEFAULT, FIXABLE, "ALTER TABLE public.customers ALTER COLUMN created_at SET DEFAULT now()"),
                new Case("column default changed", "", "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'happy'",
                        COLUMN_DEFAULT, FIXABLE, "ALTER TABLE public.orders ALTER COLUMN status SET DEFAULT 'ok'::public.mood"),
                new Case("extra column default", "", "ALTER TABLE customers ALTER COLUMN name SET DEFAULT 'anonymous'",
                        COLUMN_DEFAULT, WARNING, "ALTER TABLE public.customers ALTER COLUMN name DROP DEFAULT"),
                new Case("identity dropped", "", "ALTER TABLE customers ALTER COLUMN id DROP IDENTITY",
                        COLUMN_IDENTITY, BLOCKING,
                        "ALTER TABLE public.customers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY"),
                new Case("identity kind changed", "", "ALTER TABLE customers ALTER COLUMN id SET GENERATED BY DEFAULT",
                        COLUMN_IDENTITY, BLOCKING, "ALTER TABLE public.customers ALTER COLUMN id SET GENERATED ALWAYS"),
                new Case("generated column made ordinary", "", "ALTER TABLE orders ALTER COLUMN total_with_tax DROP EXPRESSION",
                        COLUMN_GENERATED, BLOCKING, null),
                new Case("index missing", "", "DROP INDEX orders_customer_idx", MISSING_INDEX, FIXABLE,
                        "CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id)"),
                new Case("admin added an index", "", "CREATE INDEX customers_name_idx ON customers (name)", EXTRA_INDEX,
                        WARNING, null),
                new Case("index definition changed", "", "DROP INDEX orders_customer_idx;"
                        + " CREATE INDEX orders_customer_idx ON orders (customer_id, id)", CHANGED_INDEX, WARNING, null),
                new Case("check constraint missing", "", "ALTER TABLE orders DROP CONSTRAINT orders_total_check",
                        MISSING_CONSTRAINT, FIXABLE,
                        "ALTER TABLE public.orders ADD CONSTRAINT orders_total_check CHECK ((total >= (0)::numeric))"),
                new Case("unique constraint missing (and its index)", "",
                        "ALTER TABLE customers DROP CONSTRAINT customers_email_key", MISSING_CONSTRAINT, FIXABLE,
                        "ALTER TABLE public.customers ADD CONSTRAINT customers_email_key UNIQUE (email)"),
                new Case("foreign key missing", "", "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey",
                        MISSING_CONSTRAINT, FIXABLE, "ALTER TABLE public.orders ADD CONSTRAINT orders_customer_id_fkey"
                                + " FOREIGN KEY (customer_id) REFERENCES public.customers(id)"),
                new Case("extra constraint", "", "ALTER TABLE customers ADD CONSTRAINT name_not_empty CHECK (name <> '')",
                        EXTRA_CONSTRAINT, WARNING, null),
                new Case("constraint changed", "", "ALTER TABLE orders DROP CONSTRAINT orders_total_check;"
                        + " ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total > 0)",
                        CHANGED_CONSTRAINT, WARNING, null),
                new Case("trigger missing", "", "DROP TRIGGER customers_touch ON customers", MISSING_TRIGGER, FIXABLE,
                        "CREATE TRIGGER customers_touch BEFORE UPDATE ON public.customers FOR EACH ROW EXECUTE FUNCTION"
                                + " public.touch()"),
                new Case("extra trigger", "", "CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW"
                        + " EXECUTE FUNCTION touch()", EXTRA_TRIGGER, WARNING, null),
                new Case("trigger changed", "", "DROP TRIGGER customers_touch ON customers; CREATE TRIGGER customers_touch"
                        + " BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION touch()", CHANGED_TRIGGER, WARNING, null),
                new Case("view missing", "", "DROP VIEW big_orders", MISSING_VIEW, FIXABLE,
                        "CREATE VIEW public.big_orders AS\nSELECT orders.id,"),
                new Case("extra view", "", "CREATE VIEW all_customers AS SELECT * FROM customers", EXTRA_VIEW, WARNING, null),
                new Case("view query changed", "",
                        "CREATE OR REPLACE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 500",
                        CHANGED_VIEW, FIXABLE, "CREATE OR REPLACE VIEW public.big_orders AS\nSELECT orders.id,"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachRealChangeIsFoundWithItsSeverityAndStatement(Case change) {
        SchemaSnapshot expected = change.expectedChange().isEmpty() ? SampleSchema.expectedSnapshot()
                : snapshotAfter(change.expectedChange());
        LocalPostgres.Database live = SampleSchema.freshDatabase();
        if (!change.liveChange().isEmpty()) {
            live.execute(change.liveChange());
        }

        List<DriftFinding> findings = DriftAnalyzer.compare(expected, SampleSchema.snapshot(live));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.category()).isEqualTo(change.category());
            assertThat(finding.severity()).isEqualTo(change.severity());
            if (change.firstStatement() == null) {
                assertThat(finding.statements()).isEmpty();
            } else {
                assertThat(finding.statements()).first().asString().startsWith(change.firstStatement());
            }
        });
        if (change.firstStatement() != null) {
            live.execute(findings.get(0).statements().toArray(String[]::new));
            assertThat(DriftAnalyzer.compare(expected, SampleSchema.snapshot(live))).isEmpty();
        }
    }

    private static SchemaSnapshot snapshotAfter(String vendorChange) {
        LocalPostgres.Database vendor = SampleSchema.freshDatabase();
        vendor.execute(vendorChange);
        return SampleSchema.snapshot(vendor);
    }
}
